namespace Community360.Cases;

public enum CaseType
{
    CitizenDemand = 1,
    GridEvent = 2,
    SafetyHazard = 3,
    Petition = 4,
    EnterpriseRequest = 5,
    ProjectProblem = 6,
    ElderAlert = 7,
}

public enum CaseChannel
{
    Hotline12345 = 1,
    SocialOpinion = 2,
    WalkIn = 3,
    Phone = 4,
    Online = 5,
    GridPatrol = 6,
    Device = 7,
    Open311 = 8,
    Petition = 9,
}

public enum CaseUrgency
{
    Normal = 1,
    Urgent = 2,
    VeryUrgent = 3,
}

public enum CaseState
{
    Received = 1,
    Dispatched = 2,
    Accepted = 3,
    Suspended = 4,
    Completed = 5,
    Verified = 6,
    Closed = 7,
    Voided = 8,
}

public enum CaseAction
{
    Receive = 1,
    VerifyReport = 2,
    Dispatch = 3,
    Accept = 4,
    Return = 5,
    Reassign = 6,
    RequestExtension = 7,
    ApproveExtension = 8,
    DenyExtension = 9,
    Suspend = 10,
    Resume = 11,
    Complete = 12,
    VerifyPass = 13,
    VerifyFail = 14,
    Callback = 15,
    Reopen = 16,
    Close = 17,
    Void = 18,
    Merge = 19,
    Supervise = 20,
    AssignLeader = 21,
    MarkDueSoon = 22,
    MarkOverdue = 23,
}

public enum Satisfaction
{
    Satisfied = 1,
    BasicallySatisfied = 2,
    Unsatisfied = 3,
}

/// <summary>Whether the callback reached the complainant; unreachable and refused callbacks are counted apart.</summary>
public enum CallbackContact
{
    Reached = 1,
    Unreachable = 2,
    Refused = 3,
}

public static class CaseNames
{
    public static string Of(CaseType type) => type switch
    {
        CaseType.CitizenDemand => "民生诉求",
        CaseType.GridEvent => "网格事件",
        CaseType.SafetyHazard => "安全隐患",
        CaseType.Petition => "信访",
        CaseType.EnterpriseRequest => "企业诉求",
        CaseType.ProjectProblem => "项目问题",
        CaseType.ElderAlert => "养老预警",
    };

    public static string Of(CaseChannel channel) => channel switch
    {
        CaseChannel.Hotline12345 => "12345热线",
        CaseChannel.SocialOpinion => "社情民意",
        CaseChannel.WalkIn => "来访",
        CaseChannel.Phone => "来电",
        CaseChannel.Online => "网上诉求",
        CaseChannel.GridPatrol => "网格巡查",
        CaseChannel.Device => "物联设备",
        CaseChannel.Open311 => "Open311",
        CaseChannel.Petition => "信访渠道",
    };

    public static string Of(CaseUrgency urgency) => urgency switch
    {
        CaseUrgency.Normal => "一般",
        CaseUrgency.Urgent => "紧急",
        CaseUrgency.VeryUrgent => "特急",
    };

    public static string Of(CaseState state) => state switch
    {
        CaseState.Received => "已受理",
        CaseState.Dispatched => "已派单",
        CaseState.Accepted => "处置中",
        CaseState.Suspended => "已挂起",
        CaseState.Completed => "已办结",
        CaseState.Verified => "已核查",
        CaseState.Closed => "已结案",
        CaseState.Voided => "已作废",
    };

    public static string Of(CaseAction action) => action switch
    {
        CaseAction.Receive => "受理",
        CaseAction.VerifyReport => "核实",
        CaseAction.Dispatch => "派单",
        CaseAction.Accept => "签收",
        CaseAction.Return => "退单",
        CaseAction.Reassign => "改派",
        CaseAction.RequestExtension => "申请延期",
        CaseAction.ApproveExtension => "批准延期",
        CaseAction.DenyExtension => "驳回延期",
        CaseAction.Suspend => "挂起",
        CaseAction.Resume => "恢复办理",
        CaseAction.Complete => "办结",
        CaseAction.VerifyPass => "核查通过",
        CaseAction.VerifyFail => "核查不通过（返工）",
        CaseAction.Callback => "回访",
        CaseAction.Reopen => "重新办理",
        CaseAction.Close => "结案",
        CaseAction.Void => "作废",
        CaseAction.Merge => "合并",
        CaseAction.Supervise => "督办",
        CaseAction.AssignLeader => "领导包案",
        CaseAction.MarkDueSoon => "临期提醒",
        CaseAction.MarkOverdue => "超期",
    };

    public static string Of(Satisfaction satisfaction) => satisfaction switch
    {
        Satisfaction.Satisfied => "满意",
        Satisfaction.BasicallySatisfied => "基本满意",
        Satisfaction.Unsatisfied => "不满意",
    };

    public static string Of(CallbackContact contact) => contact switch
    {
        CallbackContact.Reached => "已联系",
        CallbackContact.Unreachable => "无法联系",
        CallbackContact.Refused => "拒绝回访",
    };
}
