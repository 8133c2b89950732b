using ChatHub.Server.Storage;
using Microsoft.AspNetCore.Identity;

namespace ChatHub.Server.Identity.Accounts;

/// <summary>Agents' passwords, hashed by ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2 with
/// HMAC-SHA512, a random salt per password, 100 000 iterations in its current format; older formats are rehashed on the
/// next sign-in). A check for an agent with no password (or no agent) still runs one hash against a fixed one, so its
/// answer takes as long as a wrong password's and says nothing about whether the email exists. The hash itself compares
/// in constant time.</summary>
public static class Passwords
{
    private static readonly PasswordHasher<AgentRow> Hasher = new();
    private static readonly AgentRow Nobody = new();
    private static readonly string Decoy = Hasher.HashPassword(Nobody, Tokens.NewSecret());

    public static string Hash(string password) => Hasher.HashPassword(Nobody, password);

    public enum Outcome { Wrong, Right, RightRehash }

    public static Outcome Check(string? hash, string password)
    {
        var result = Hasher.VerifyHashedPassword(Nobody, hash ?? Decoy, password);
        if (hash is null) return Outcome.Wrong;
        return result switch
        {
            PasswordVerificationResult.Success => Outcome.Right,
            PasswordVerificationResult.SuccessRehashNeeded => Outcome.RightRehash,
            _ => Outcome.Wrong,
        };
    }
}
