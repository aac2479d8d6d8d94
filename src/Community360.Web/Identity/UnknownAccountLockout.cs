using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;

namespace Community360.Web.Identity;

/// <summary>
/// Failed sign-ins for names that are no account, counted like a real account's, so that "locked" cannot be used
/// to tell real accounts from made-up ones. Kept in memory: a restart forgets them, as it would a real lockout's
/// effect on guessing nothing.
/// </summary>
public sealed class UnknownAccountLockout(TimeProvider clock, IPasswordHasher<AppUserPlaceholder> hasher)
{
    private const int MaxTracked = 10_000;
    private static readonly string DummyHash = new PasswordHasher<AppUserPlaceholder>().HashPassword(new AppUserPlaceholder(), "no-such-account");
    private static readonly UpperInvariantLookupNormalizer Normalizer = new();
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset? LockedUntil, DateTimeOffset LastSeen)> _failures = new(StringComparer.Ordinal);

    /// <summary>Records a failure and spends the time a real check would; returns the lockout end once locked.</summary>
    public DateTimeOffset? RecordFailure(string userName, int maxAttempts, TimeSpan lockoutSpan)
    {
        hasher.VerifyHashedPassword(new AppUserPlaceholder(), DummyHash, userName);
        var now = clock.GetUtcNow();
        if (_failures.Count > MaxTracked)
        {
            foreach (var stale in _failures.Where(f => now - f.Value.LastSeen > lockoutSpan).Select(f => f.Key).ToList())
            {
                _failures.TryRemove(stale, out _);
            }
        }
        var key = Normalizer.NormalizeName(userName) ?? userName;
        var entry = _failures.AddOrUpdate(key,
            _ => (1, null, now),
            (_, current) => current.LockedUntil > now
                ? current with { LastSeen = now }
                : current.Failures + 1 >= maxAttempts
                    ? (0, now + lockoutSpan, now)
                    : (current.Failures + 1, null, now));
        return entry.LockedUntil > now ? entry.LockedUntil : null;
    }
}

/// <summary>Only gives the password hasher a type to work on for names that have no account.</summary>
public sealed class AppUserPlaceholder;
