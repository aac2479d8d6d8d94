using System.Globalization;
using Community360.Calendar;
using Community360.Cases;
using Community360.Cases.Repeats;
using Community360.Cases.Seeding;
using Community360.Common;

namespace Community360.Bench;

/// <summary>
/// Turns a generated case into a <see cref="Case"/> through the aggregate's own guarded methods, so that its state, its
/// timestamps, its events and its assignments agree exactly as the engine would have left them. Older cases are further
/// along (most closed); no step is taken after <c>now</c>.
/// </summary>
internal sealed class CaseBuilder(World world, PhoneHasher hasher, DateTime now, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<string, int> _lastNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<int, Guid> _clusterFirst = [];
    private int _reference;

    public IReadOnlyDictionary<string, int> LastNumbers => _lastNumber;

    public Case Build(GeneratedCase g, bool repeated)
    {
        var gridReport = g.Reporter == CaseTextReporter.GridWorker;
        var type = gridReport ? CaseType.GridEvent : CaseType.CitizenDemand;
        var channel = gridReport ? CaseChannel.GridPatrol : g.Random01 switch
        {
            < 0.55 => CaseChannel.Hotline12345,
            < 0.7 => CaseChannel.Phone,
            < 0.82 => CaseChannel.Online,
            < 0.9 => CaseChannel.WalkIn,
            < 0.96 => CaseChannel.SocialOpinion,
            _ => CaseChannel.Open311,
        };
        var urgency = _random.NextDouble() switch
        {
            < 0.9 => CaseUrgency.Normal,
            < 0.98 => CaseUrgency.Urgent,
            _ => CaseUrgency.VeryUrgent,
        };
        var day = ChinaTime.ToLocal(g.ReceivedAt).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var number = _lastNumber[day] = _lastNumber.GetValueOrDefault(day) + 1;
        var reference = channel == CaseChannel.Hotline12345 ? Report.Inv($"BJ{day}{++_reference:D8}") : null;
        var place = new CasePlace(world.StreetId, g.Community.Id, g.Grid.Id, g.Grid.ScopePath);
        var lead = g.Category.DefaultUnitId is { } unitId && world.Units.TryGetValue(unitId, out var unit) ? unit : world.Units[g.Community.Id];
        var phone = gridReport ? null : g.Phone;
        var intake = new CaseIntake(Report.Inv($"{day}-{number:D6}"), type, channel, reference, g.Category.Id, urgency, g.Title, g.Text,
            g.Address, null, null, CaseRepeats.PlaceKey(g.Address), place, gridReport ? null : "张先生", phone, hasher.Hash(phone),
            false, lead.Id, null);
        var receiver = gridReport ? new CaseActor(null, "网格员", g.Community.Id, g.Community.Name) : world.Dispatcher;
        var @case = Case.Receive(intake, receiver, g.ReceivedAt);
        if (repeated)
        {
            if (!_clusterFirst.TryGetValue(g.Cluster, out var first))
            {
                _clusterFirst[g.Cluster] = first = @case.Id;
            }
            @case.JoinRepeatCluster(first);
        }
        @case.CreatedAt = g.ReceivedAt;
        @case.UpdatedAt = Advance(@case, g, world.Configs[type], lead, urgency);
        return @case;
    }

    /// <summary>Takes the case as far as its age and luck allow; returns the time of the last step.</summary>
    private DateTime Advance(Case @case, GeneratedCase g, CaseTypeConfig config, HandlingUnit lead, CaseUrgency urgency)
    {
        var ageDays = (now - g.ReceivedAt).TotalDays;
        var x = _random.NextDouble();
        // How far along: 0 received, 1 dispatched, 2 accepted, 3 completed, 4 closed; -1 voided, -2 suspended.
        var target = ageDays switch
        {
            < 1 => x < 0.3 ? 0 : x < 0.6 ? 1 : x < 0.9 ? 2 : 3,
            < 5 => x < 0.05 ? 0 : x < 0.15 ? 1 : x < 0.5 ? 2 : x < 0.75 ? 3 : 4,
            _ => x < 0.04 ? -1 : x < 0.05 ? -2 : x < 0.1 ? 2 : x < 0.15 ? 3 : 4,
        };
        var t = g.ReceivedAt;
        var handler = new CaseActor(null, lead.Name + "经办人", lead.Id, lead.Name);
        bool Step(double minMinutes, double maxMinutes)
        {
            var next = t.AddMinutes(minMinutes + (_random.NextDouble() * (maxMinutes - minMinutes)));
            next = new DateTime(next.Ticks - (next.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            if (next > now)
            {
                return false;
            }
            t = next;
            return true;
        }
        if (config.RequiresIntakeVerification)
        {
            if (!Step(1, 30))
            {
                return t;
            }
            @case.VerifyReport(config, world.Dispatcher, t, null);
        }
        if (target == -1)
        {
            if (Step(5, 120))
            {
                @case.Void(config, world.Dispatcher, t, "重复登记，作废。");
            }
            return t;
        }
        if (target == 0 || !Step(5, 180))
        {
            return t;
        }
        var limitHours = urgency == CaseUrgency.Normal ? 24 * 7 : 24;
        @case.Dispatch(config, world.Dispatcher, t, lead, [], new CaseDeadlines(t.AddHours(urgency == CaseUrgency.Normal ? 24 : 2),
            g.ReceivedAt.AddHours(limitHours), urgency == CaseUrgency.Normal ? TimeLimitUnit.WorkingDays : TimeLimitUnit.NaturalHours), null, null);
        if (target == 1 || !Step(10, 480))
        {
            return t;
        }
        @case.Accept(config, handler, t, t, null);
        if (target == -2)
        {
            if (Step(60, 1440))
            {
                @case.Suspend(config, handler, t, "等待配件到货。");
            }
            return t;
        }
        if (target == 2 || !Step(120, 4 * 1440))
        {
            return t;
        }
        var callbackDue = t.AddDays(2);
        @case.Complete(config, handler, t, g.Result, callbackDue);
        if (target == 3)
        {
            return t;
        }
        if (config.RequiresOnSiteVerification)
        {
            if (!Step(60, 1440))
            {
                return t;
            }
            @case.VerifyOnSite(config, world.Dispatcher, t, passed: true, null, callbackDue);
        }
        if (config.RequiresCallback)
        {
            if (!Step(60, 2 * 1440))
            {
                return t;
            }
            var satisfied = _random.NextDouble();
            @case.RecordCallback(config, world.Dispatcher, t, CallbackContact.Reached, satisfied > 0.08,
                satisfied switch { < 0.08 => Satisfaction.Unsatisfied, < 0.25 => Satisfaction.BasicallySatisfied, _ => Satisfaction.Satisfied }, null);
        }
        if (Step(10, 1440))
        {
            @case.Close(config, world.Dispatcher, t, null);
        }
        return t;
    }
}
