using System.Globalization;
using Community360.Calendar;
using Community360.Cases.Seeding;
using Community360.Data;
using Community360.Organization;
using Community360.Tests.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Community360.Tests.Cases.Seeding;

public sealed class CategoryCatalogTests(SeededStreetFixture street) : IClassFixture<SeededStreetFixture>
{
    private static readonly IReadOnlyList<CategorySeed> All = CategoryCatalog.All;

    [Fact]
    public void Codes_are_unique_two_digits_at_the_top_and_parent_plus_two_digits_below()
    {
        Assert.Equal(All.Count, All.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count());
        foreach (var category in All)
        {
            if (category.ParentCode is null)
            {
                Assert.Matches("^[0-9]{2}$", category.Code);
            }
            else
            {
                Assert.Matches("^[0-9]{4}$", category.Code);
                Assert.StartsWith(category.ParentCode, category.Code, StringComparison.Ordinal);
                Assert.Null(CategoryCatalog.Find(category.ParentCode)!.ParentCode);
            }
            Assert.False(string.IsNullOrWhiteSpace(category.Name));
            Assert.InRange(category.Name.Length, 2, 10);
        }
        Assert.Equal(
            Enumerable.Range(1, CategoryCatalog.TopLevels.Count).Select(i => i.ToString("D2", CultureInfo.InvariantCulture)),
            CategoryCatalog.TopLevels.Select(c => c.Code));
    }

    [Fact]
    public void Every_top_level_has_four_to_eight_subcategories_with_distinct_names()
    {
        Assert.InRange(CategoryCatalog.TopLevels.Count, 12, 99);
        foreach (var top in CategoryCatalog.TopLevels)
        {
            var children = CategoryCatalog.ChildrenOf(top.Code);
            Assert.InRange(children.Count, 4, 8);
            Assert.Equal(children.Count, children.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
        }
        Assert.Equal(All.Count, CategoryCatalog.TopLevels.Count + CategoryCatalog.Subcategories.Count);
        Assert.Equal(All.Count, All.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Names_the_issue_lists_are_top_level_categories()
    {
        string[] required = ["市容环境", "物业管理", "市政设施", "噪声扰民", "违章建设", "环境保护", "安全隐患", "市场监管", "劳动社保", "民政救助", "邻里纠纷", "咨询建议"];
        Assert.All(required, name => Assert.Contains(CategoryCatalog.TopLevels, c => c.Name == name));
    }

    [Fact]
    public void Every_limit_unit_parses_into_a_valid_calendar_time_limit()
    {
        foreach (var category in All)
        {
            LimitSeed?[] limits = [category.Response, category.Completion, category.Callback, category.UrgentCompletion];
            foreach (var limit in limits.OfType<LimitSeed>())
            {
                Assert.Contains(limit.Unit, LimitUnits.All);
                Assert.True(Enum.TryParse<TimeLimitUnit>(limit.Unit, ignoreCase: false, out var unit), $"{category.Code}: {limit.Unit}");
                Assert.True(Enum.IsDefined(unit));
                Assert.True(new TimeLimit(limit.Value, unit).IsValid, $"{category.Code}: {limit}");
            }
        }
        Assert.All(LimitUnits.All, unit => Assert.True(Enum.TryParse<TimeLimitUnit>(unit, ignoreCase: false, out _)));
    }

    [Fact]
    public void Responses_come_before_completion_callbacks_within_two_working_days_and_urgent_limits_in_natural_hours()
    {
        foreach (var category in All)
        {
            Assert.True(Hours(category.Response) < Hours(category.Completion), $"{category.Code} responds after it completes");
            Assert.InRange(Hours(category.Callback), 1, 2 * 8);
            if (category.UrgentCompletion is { } urgent)
            {
                Assert.Equal(LimitUnits.NaturalHours, urgent.Unit);
                Assert.InRange(urgent.Value, 1, 72);
            }
        }
    }

    [Fact]
    public void Urgent_limits_exist_where_hazards_are_urgent_and_not_for_consultations()
    {
        Assert.All(CategoryCatalog.ChildrenOf("07"), c => Assert.NotNull(c.UrgentCompletion));
        Assert.Equal(2, CategoryCatalog.All.Single(c => c.Name == "燃气安全").UrgentCompletion!.Value);
        Assert.Null(CategoryCatalog.All.Single(c => c.Name == "政策咨询").UrgentCompletion);
        Assert.Null(CategoryCatalog.All.Single(c => c.Name == "表扬感谢").UrgentCompletion);
    }

    [Fact]
    public async Task Default_units_are_the_community_or_departments_the_demo_street_seeder_creates_with_matching_work_lines()
    {
        await using var scope = street.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var departments = await db.OrgUnits
            .Where(o => o.Kind == OrgUnitKind.Department)
            .ToDictionaryAsync(o => o.Code, o => o.WorkLine, TestContext.Current.CancellationToken);
        Assert.NotEmpty(departments);

        foreach (var category in All)
        {
            Assert.NotNull(category.DefaultUnitCode);
            if (category.DefaultUnitCode == CategoryCatalog.Community)
            {
                continue;
            }
            Assert.True(departments.TryGetValue(category.DefaultUnitCode, out var line),
                $"{category.Code} {category.Name}: {category.DefaultUnitCode} is not a department of the demo street");
            // A department that leads a work line takes that line's cases; one without a line takes line-less cases.
            Assert.Equal(line, category.WorkLine);
        }

        // Every department with a work line, and the community, is somebody's first choice.
        var used = All.Select(c => c.DefaultUnitCode).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(CategoryCatalog.Community, used);
        Assert.All(departments.Where(d => d.Value is not null), d => Assert.Contains(d.Key, used));
    }

    [Fact]
    public void Lookups_agree_with_the_list()
    {
        Assert.Same(All.Single(c => c.Code == "0403"), CategoryCatalog.Find("0403"));
        Assert.Null(CategoryCatalog.Find("9999"));
        Assert.Equal("噪声扰民", CategoryCatalog.Find("04")!.Name);
        Assert.Contains(CategoryCatalog.ChildrenOf("04"), c => c.Name == "广场舞噪声");
    }

    /// <summary>Rough working hours, enough to order limits: a working day is 8 working hours, a natural hour 1/3 of one.</summary>
    private static double Hours(LimitSeed limit) => limit.Unit switch
    {
        LimitUnits.WorkingHours => limit.Value,
        LimitUnits.WorkingDays => limit.Value * 8,
        _ => limit.Value / 3.0,
    };
}
