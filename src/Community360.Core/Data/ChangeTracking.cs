using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Community360.Auditing;
using Community360.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using NetTopologySuite.Geometries;

namespace Community360.Data;

internal sealed record AuditDraft(string Action, string? EntityType, string? EntityId, string Details, string? ScopePath, Guid? ActorId = null, string? ActorName = null);

/// <summary>Turns what the change tracker holds into version bumps, timestamps and audit drafts.</summary>
internal static class ChangeTracking
{
    private static readonly JsonSerializerOptions FactJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Bookkeeping columns whose change alone is not worth an audit row.</summary>
    private static readonly HashSet<string> Noise = new(StringComparer.Ordinal)
    {
        nameof(IVersioned.Version), nameof(ITimestamped.UpdatedAt), nameof(ITimestamped.CreatedAt),
        nameof(IdentityUser.ConcurrencyStamp), nameof(IdentityUser.SecurityStamp), nameof(IdentityUser.AccessFailedCount),
        nameof(IdentityUser.NormalizedUserName), nameof(IdentityUser.NormalizedEmail), nameof(Identity.AppUser.LastSignInAt),
        nameof(IdentityRole.NormalizedName),
        // Joining a repeat cluster is the finder's bookkeeping; it must not make a dispatcher's open case stale.
        nameof(Cases.Case.RepeatClusterId),
    };

    /// <summary>Values that must never be written into the audit trail, only the fact that they changed.</summary>
    private static readonly HashSet<string> Secret = new(StringComparer.Ordinal)
    {
        nameof(IdentityUser.PasswordHash), nameof(IdentityUser.PhoneNumber), nameof(IdentityUser.Email),
    };

    public static void StampVersionsAndTimes(ChangeTracker tracker, DateTime now)
    {
        // A change inside an owned JSON collection must still bump its owner's concurrency token.
        var ownersOfChangedParts = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var owned in tracker.Entries().Where(e => e.Metadata.IsOwned() && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
        {
            if (FindOwner(tracker, owned) is { } owner)
            {
                ownersOfChangedParts.Add(owner.Entity);
            }
        }

        foreach (var entry in tracker.Entries())
        {
            if (entry.State == EntityState.Added && entry.Entity is ITimestamped added)
            {
                added.CreatedAt = now;
                added.UpdatedAt = now;
            }
            else if (entry.State is EntityState.Modified or EntityState.Unchanged && (ownersOfChangedParts.Contains(entry.Entity) || IsEdit(entry)))
            {
                // Bookkeeping (a sign-in's timestamp, a failed-attempt counter) must not make an administrator's
                // open form stale, so only a real edit gets a new version; one the handler already chose is kept.
                if (entry.Entity is IVersioned versioned
                    && Equals(entry.Property(nameof(IVersioned.Version)).OriginalValue, entry.Property(nameof(IVersioned.Version)).CurrentValue))
                {
                    versioned.Version = Guid.NewGuid();
                }
                if (entry.Entity is ITimestamped modified)
                {
                    modified.UpdatedAt = now;
                }
            }
        }
    }

    private static bool IsEdit(EntityEntry entry) =>
        entry.Properties.Any(p => p.IsModified && !Noise.Contains(p.Metadata.Name) && !Equals(p.OriginalValue, p.CurrentValue));

    public static List<AuditDraft> DescribeChanges(ChangeTracker tracker)
    {
        var drafts = new List<AuditDraft>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || IsUnaudited(entry))
            {
                continue;
            }
            var (entityType, entityId) = Identify(tracker, entry);
            var action = entry.State switch
            {
                EntityState.Added => AuditActions.EntityCreated,
                EntityState.Deleted => AuditActions.EntityDeleted,
                _ => AuditActions.EntityUpdated,
            };
            var details = DescribeProperties(entry);
            if (details is null)
            {
                continue;
            }
            drafts.Add(new AuditDraft(action, entityType, entityId, details, ScopeOf(tracker, entry)));
        }
        return drafts;
    }

    public static AuditDraft Describe(AuditFact fact) =>
        new(fact.Action, fact.EntityType, fact.EntityId, JsonSerializer.Serialize(fact.Details, FactJson), fact.ScopePath, fact.ActorId, fact.ActorName);

    private static bool IsUnaudited(EntityEntry entry) =>
        entry.Entity is AuditEntry or IHasOwnEventLog
        || entry.Metadata.ClrType.IsGenericType && entry.Metadata.ClrType.GetGenericTypeDefinition() is var g
            && (g == typeof(IdentityUserToken<>) || g == typeof(IdentityUserLogin<>));

    /// <summary>The entity's own place in the tree (its owner's for owned parts); null files it under the actor's scope.</summary>
    private static string? ScopeOf(ChangeTracker tracker, EntityEntry entry)
    {
        var subject = entry.Metadata.IsOwned() ? FindOwner(tracker, entry) ?? entry : entry;
        return subject.Entity is IScoped scoped && !string.IsNullOrEmpty(scoped.ScopePath) ? scoped.ScopePath : null;
    }

    private static (string EntityType, string? EntityId) Identify(ChangeTracker tracker, EntityEntry entry)
    {
        if (entry.Metadata.IsOwned() && FindOwner(tracker, entry) is { } owner)
        {
            return ($"{owner.Metadata.ClrType.Name}.{entry.Metadata.ClrType.Name}", KeyOf(owner));
        }
        var name = entry.Metadata.ClrType.IsGenericType
            ? entry.Metadata.ClrType.Name.Split('`')[0]
            : entry.Metadata.ClrType.Name;
        return (name, KeyOf(entry));
    }

    private static string? KeyOf(EntityEntry entry)
    {
        var key = entry.Metadata.FindPrimaryKey();
        if (key is null)
        {
            return null;
        }
        return string.Join(',', key.Properties.Select(p => Format(entry.Property(p.Name).CurrentValue)));
    }

    /// <summary>Dates as people and machines both read them: ISO dates, 24-hour times, round-trip instants.</summary>
    private static string? Format(object? value) => value switch
    {
        DateTime instant => instant.ToString("O", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly time => time.ToString("HH:mm", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static EntityEntry? FindOwner(ChangeTracker tracker, EntityEntry owned)
    {
        var ownership = owned.Metadata.FindOwnership();
        if (ownership is null)
        {
            return null;
        }
        var foreignKey = ownership.Properties.Select(p => owned.Property(p.Name).CurrentValue).ToArray();
        return tracker.Entries()
            .Where(e => e.Metadata == ownership.PrincipalEntityType)
            .FirstOrDefault(e => ownership.PrincipalKey.Properties
                .Select(p => e.Property(p.Name).CurrentValue)
                .SequenceEqual(foreignKey));
    }

    /// <summary>Compact JSON of what changed; null when nothing worth recording did.</summary>
    private static string? DescribeProperties(EntityEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = FactJson.Encoder }))
        {
            json.WriteStartObject();
            var any = false;
            foreach (var property in entry.Properties)
            {
                var name = property.Metadata.Name;
                if (Noise.Contains(name) || property.Metadata.IsShadowProperty() && property.Metadata.IsKey())
                {
                    continue;
                }
                var changed = entry.State switch
                {
                    EntityState.Added => property.CurrentValue is not null,
                    EntityState.Modified => property.IsModified && !Equals(property.OriginalValue, property.CurrentValue),
                    EntityState.Deleted => property.OriginalValue is not null,
                    _ => false,
                };
                if (!changed)
                {
                    continue;
                }
                any = true;
                json.WritePropertyName(name);
                // A deletion records what was there, so the trail still shows what was removed.
                WriteValue(json, property.Metadata.PropertyInfo, name, entry.State == EntityState.Deleted ? property.OriginalValue : property.CurrentValue);
            }
            json.WriteEndObject();
            if (!any && entry.State == EntityState.Modified)
            {
                return null;
            }
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter json, PropertyInfo? property, string name, object? value)
    {
        if (Secret.Contains(name) || property?.GetCustomAttribute<SensitiveAttribute>() is not null)
        {
            json.WriteStringValue(value is null ? "（已清空）" : "（已变更，内容不记录）");
            return;
        }
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case Geometry geometry:
                json.WriteStringValue(string.Create(CultureInfo.InvariantCulture,
                    $"{geometry.GeometryType}, {geometry.NumPoints} points, envelope {geometry.EnvelopeInternal}"));
                break;
            case DateTime or DateOnly or TimeOnly:
                json.WriteStringValue(Format(value));
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
