using System.Net;
using System.Text.Json;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Cases;

/// <summary>What the case API answers, as a client reads it.</summary>
public sealed record CaseView(
    Guid Id, string Number, string State, string StateName, Guid? CommunityId, string? CommunityName, Guid? GridId,
    bool NeedsManualRouting, JsonElement Complainant, Guid? HandlingUnitId, DateTime? ResponseDueAt, DateTime? CompletionDueAt,
    DateTime? CallbackDueAt, List<string> AllowedActions, Guid? RepeatClusterId, Guid Version);

public sealed record EventView(string Action, string FromState, string ToState, string ActorName, string? ActorUnitName, DateTime OccurredAt, string? Note, string? Data);

/// <summary>Drives cases through the API the way the console and the 12345 bridge do.</summary>
public sealed class CaseClient(Community360App app)
{
    public async Task<Guid> CategoryIdAsync(string name)
    {
        await using var db = app.CreateDbContext();
        return await db.CaseCategories.Where(c => c.Name == name && c.ParentId != null).Select(c => c.Id).FirstAsync();
    }

    public async Task<(double Lon, double Lat)> PointInCommunityAsync(string communityCode, int compoundIndex = 0)
    {
        await using var db = app.CreateDbContext();
        var community = await db.OrgUnits.SingleAsync(o => o.Code == communityCode);
        var prefix = community.ScopePath + "%";
        var compound = await db.Compounds.Where(c => EF.Functions.Like(c.ScopePath, prefix)).OrderBy(c => c.Name).Skip(compoundIndex).FirstAsync();
        return (compound.Longitude!.Value, compound.Latitude!.Value);
    }

    public async Task<Guid> UnitIdAsync(string code)
    {
        await using var db = app.CreateDbContext();
        return await db.OrgUnits.Where(o => o.Code == code).Select(o => o.Id).SingleAsync();
    }

    public static object Intake(Guid categoryId, (double Lon, double Lat)? at, string title = "小区楼道堆放杂物", string? reference = null,
        string type = "CitizenDemand", string channel = "Hotline12345", bool confidential = false, string? description = null, string? address = null,
        string? phone = "17099887766") => new
    {
        type,
        channel,
        externalReference = reference,
        categoryId,
        title,
        description = description ?? "槐荫里小区2号楼3单元楼道里堆了很多纸箱和旧家具，堵住了消防通道，希望尽快清理。",
        address = address ?? "槐荫里小区2号楼3单元",
        longitude = at?.Lon,
        latitude = at?.Lat,
        complainantName = "赵先生",
        complainantPhone = phone,
        isConfidential = confidential,
    };

    public static async Task<CaseView> ReceiveAsync(HttpClient client, object intake, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await client.PostJsonAsync("/api/cases", intake)).ShouldBeOkAsync<CaseView>(expected);

    public static async Task<CaseView> ActAsync(HttpClient client, CaseView @case, string route, object? extra = null)
    {
        var body = Merge(new { version = @case.Version }, extra);
        return await (await client.PostJsonAsync($"/api/cases/{@case.Id}/{route}", body)).ShouldBeOkAsync<CaseView>();
    }

    public static async Task<HttpResponseMessage> TryAsync(HttpClient client, CaseView @case, string route, object? extra = null) =>
        await client.PostJsonAsync($"/api/cases/{@case.Id}/{route}", Merge(new { version = @case.Version }, extra));

    public static async Task<List<EventView>> TimelineAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/cases/{id}/timeline")).ShouldBeOkAsync<List<EventView>>();

    private static Dictionary<string, object?> Merge(object first, object? second)
    {
        var merged = JsonSerializer.SerializeToElement(first, ApiAssertions.Json).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        if (second is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(second, ApiAssertions.Json).EnumerateObject())
            {
                merged[property.Name] = property.Value;
            }
        }
        return merged;
    }
}
