using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Community360.Auditing;

/// <summary>The hash rule of the audit chain, shared by the writer and the verifier.</summary>
public static class AuditChain
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// Both providers keep microseconds (PostgreSQL's timestamptz resolution); the hash must be computed on
    /// exactly what is stored, so instants are truncated before hashing and storing.
    /// </summary>
    public static DateTime Truncate(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);

    /// <summary>
    /// Each field is written with its length in front, so no value (a typed user name, say) can imitate a field
    /// boundary and make two different rows hash alike.
    /// </summary>
    public static string ComputeHash(
        string previousHash, long sequence, DateTime occurredAt, Guid? actorId, string actorName,
        string? actorAddress, string action, string? entityType, string? entityId, string scopePath, string details)
    {
        var canonical = new StringBuilder();
        foreach (var field in new[]
        {
            previousHash,
            sequence.ToString(CultureInfo.InvariantCulture),
            occurredAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            actorId?.ToString("N") ?? string.Empty,
            actorName,
            actorAddress ?? string.Empty,
            action,
            entityType ?? string.Empty,
            entityId ?? string.Empty,
            scopePath,
            details,
        })
        {
            canonical.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append(';');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    public static string ComputeHash(AuditEntry e) =>
        ComputeHash(e.PreviousHash, e.Sequence, e.OccurredAt, e.ActorId, e.ActorName, e.ActorAddress,
            e.Action, e.EntityType, e.EntityId, e.ScopePath, e.Details);
}
