using System.Text.RegularExpressions;
using Community360.Cases.Seeding;

namespace Community360.Tests.Cases.Seeding;

public sealed partial class DemoCaseTextsTests
{
    private static readonly string[] LocationPlaceholders = ["compound", "building", "unit", "road", "number"];

    private static readonly DemoPlace[] Places =
    [
        new("翠园小区", "3号楼", "2单元", "示例路", "23"),
        new("建工宿舍", "12号楼", "1单元", "槐荫路", "7号"),
        new("福寿胡同平房院落", "5号院", "", "福寿胡同", "15"),
        new("锦绣家园", "21", "4", "银杏大街", "108"),
    ];

    private static IEnumerable<CaseTextTemplate> AllTemplates =>
        CategoryCatalog.Subcategories.SelectMany(c => DemoCaseTexts.For(c.Code));

    [Fact]
    public void Every_subcategory_has_six_to_twelve_templates_and_no_texts_exist_for_unknown_codes()
    {
        foreach (var category in CategoryCatalog.Subcategories)
        {
            var templates = DemoCaseTexts.For(category.Code);
            Assert.True(templates.Count is >= 6 and <= 12, $"{category.Code} {category.Name} has {templates.Count} templates");
            Assert.All(templates, t => Assert.Equal(category.Code, t.SubcategoryCode));
        }
        Assert.Equal(
            CategoryCatalog.Subcategories.Select(c => c.Code).Order(StringComparer.Ordinal),
            DemoCaseTexts.SubcategoryCodes.Order(StringComparer.Ordinal));
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoCaseTexts.For("04"));
    }

    [Fact]
    public void Every_template_has_a_title_two_or_three_paraphrases_and_a_result()
    {
        foreach (var template in AllTemplates)
        {
            var where = $"{template.SubcategoryCode}: {template.Title}";
            Assert.False(string.IsNullOrWhiteSpace(template.Title), where);
            Assert.True(Strip(template.Title).Length <= 24, $"{where}: title too long");
            Assert.True(Strip(template.Text).Length >= 15, $"{where}: text too short");
            Assert.True(template.Paraphrases.Count is >= 2 and <= 3, $"{where}: {template.Paraphrases.Count} paraphrases");
            Assert.True(template.Results.Count >= 1, $"{where}: no result");
            Assert.All(template.Results, r => Assert.True(Strip(r).Length >= 10, $"{where}: result too short"));
            Assert.NotEqual(template.Text, template.Title);
        }
    }

    [Fact]
    public void Paraphrases_differ_from_their_template_and_each_other_but_name_the_same_place()
    {
        foreach (var template in AllTemplates)
        {
            var where = $"{template.SubcategoryCode}: {template.Title}";
            var text = Strip(template.Text);
            var seen = new HashSet<string>(StringComparer.Ordinal) { text };
            var places = Placeholders(template.Text).Intersect(LocationPlaceholders).Order(StringComparer.Ordinal).ToList();
            foreach (var paraphrase in template.Paraphrases)
            {
                Assert.True(seen.Add(Strip(paraphrase)), $"{where}: a paraphrase repeats the text or another paraphrase");
                Assert.Equal(places, Placeholders(paraphrase).Intersect(LocationPlaceholders).Order(StringComparer.Ordinal).ToList());
            }
            Assert.Subset(Placeholders(template.Text).ToHashSet(StringComparer.Ordinal), Placeholders(template.Title).ToHashSet(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Texts_are_not_copied_between_templates()
    {
        var texts = AllTemplates.SelectMany(t => t.Paraphrases.Prepend(t.Text)).ToList();
        var duplicates = texts.GroupBy(t => t, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
        var titles = AllTemplates.GroupBy(t => t.Title, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(titles);
    }

    [Fact]
    public void Templates_use_only_known_placeholders_and_well_formed_braces()
    {
        foreach (var template in AllTemplates)
        {
            foreach (var text in template.Paraphrases.Concat(template.Results).Append(template.Text).Append(template.Title))
            {
                Assert.All(Placeholders(text), name => Assert.Contains(name, DemoCaseTexts.PlaceholderNames));
                Assert.Equal(text.Count(c => c == '{'), Placeholders(text).Count());
                Assert.Equal(text.Count(c => c == '}'), Placeholders(text).Count());
            }
        }
    }

    [Fact]
    public void Rendering_fills_every_placeholder_for_every_kind_of_place()
    {
        var random = new Random(7);
        foreach (var template in AllTemplates)
        {
            foreach (var place in Places)
            {
                var rendered = DemoCaseTexts.Render(template, place, random);
                foreach (var text in rendered.Paraphrases.Append(rendered.Title).Append(rendered.Text).Append(rendered.Result))
                {
                    Assert.DoesNotContain("{", text, StringComparison.Ordinal);
                    Assert.DoesNotContain("}", text, StringComparison.Ordinal);
                    Assert.DoesNotContain("号号", text, StringComparison.Ordinal);
                }
                Assert.Equal(template.Paraphrases.Count, rendered.Paraphrases.Count);
                Assert.All(rendered.Paraphrases, p => Assert.NotEqual(rendered.Text, p));
                Assert.Contains(template.Results, r => Matches(r, rendered.Result));
            }
        }
    }

    [Fact]
    public void Rendering_is_deterministic_for_a_seed()
    {
        var template = DemoCaseTexts.For("0402")[1];
        var first = DemoCaseTexts.Render(template, Places[0], new Random(42));
        var second = DemoCaseTexts.Render(template, Places[0], new Random(42));
        Assert.Equal(first.Title, second.Title);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Paraphrases, second.Paraphrases);
        Assert.Equal(first.Result, second.Result);
    }

    [Fact]
    public void The_text_names_the_place_as_given_and_paraphrases_vary_the_building_form()
    {
        var place = Places[0];
        var withBuilding = AllTemplates.Where(t => t.Text.Contains("{building}", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(withBuilding);
        var forms = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(1);
        foreach (var template in withBuilding)
        {
            var rendered = DemoCaseTexts.Render(template, place, random);
            Assert.Contains("3号楼", rendered.Text, StringComparison.Ordinal);
            foreach (var paraphrase in rendered.Paraphrases)
            {
                Assert.DoesNotContain("3号楼", paraphrase, StringComparison.Ordinal);
                forms.UnionWith(new[] { "三号楼", "3栋", "3幢", "三栋" }.Where(f => paraphrase.Contains(f, StringComparison.Ordinal)));
            }
        }
        Assert.Equal(4, forms.Count);

        var digits = DemoCaseTexts.Render(withBuilding[0], Places[3], new Random(3));
        Assert.Contains("21号楼", digits.Text, StringComparison.Ordinal);
        var courtyard = DemoCaseTexts.Render(withBuilding[0], Places[2], new Random(3));
        Assert.Contains("5号院", courtyard.Text, StringComparison.Ordinal);
        Assert.All(courtyard.Paraphrases, p => Assert.Matches("五号院|5号院儿", p));
    }

    [Theory]
    [InlineData(1, "一")]
    [InlineData(10, "十")]
    [InlineData(12, "十二")]
    [InlineData(20, "二十")]
    [InlineData(21, "二十一")]
    public void Building_numbers_are_written_in_chinese_numerals(int number, string expected) =>
        Assert.Equal(expected, DemoCaseTexts.ChineseNumber(number));

    private static IEnumerable<string> Placeholders(string text) =>
        PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value);

    private static string Strip(string text) => PlaceholderPattern().Replace(text, string.Empty);

    /// <summary>Whether a rendered text came from a template: the template's literal parts appear in order.</summary>
    private static bool Matches(string template, string rendered) =>
        Regex.IsMatch(rendered, "^" + string.Join(".+?", PlaceholderPattern().Split(template).Where((_, i) => i % 2 == 0).Select(Regex.Escape)) + "$");

    [GeneratedRegex(@"\{([a-z]+)\}")]
    private static partial Regex PlaceholderPattern();
}
