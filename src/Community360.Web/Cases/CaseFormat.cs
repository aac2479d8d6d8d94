using System.Globalization;
using Community360.Cases;
using Community360.Common;

namespace Community360.Web.Cases;

/// <summary>How the case pages write times, deadlines and sizes: Beijing time, colours by urgency of the deadline.</summary>
public static class CaseFormat
{
    public static string Time(DateTime? utc) =>
        utc is { } value ? ChinaTime.ToLocal(value).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    public static string DeadlineClass(bool overdue, bool dueSoon) => overdue ? "deadline-overdue" : dueSoon ? "deadline-due-soon" : "deadline-ok";

    public static string? RowClass(CaseSummaryDto row) => row.IsOverdue ? "row-overdue" : row.IsDueSoon ? "row-due-soon" : null;

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.#} MB"),
    };

    public static string StateBadge(CaseState state) => state switch
    {
        CaseState.Received => "text-bg-info",
        CaseState.Dispatched => "text-bg-primary",
        CaseState.Accepted => "text-bg-warning",
        CaseState.Suspended => "text-bg-secondary",
        CaseState.Completed or CaseState.Verified => "text-bg-success",
        CaseState.Closed => "text-bg-dark",
        _ => "text-bg-light",
    };
}
