using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Monitor.Security;

/// <summary>
/// The JWTs people carry when the server signs with a symmetric key: how they are validated and how a
/// development token is minted. The server and <c>monitor token</c> both use this class, so a token the CLI
/// mints is exactly what the server accepts.
/// </summary>
public static class MonitorTokens
{
    public const string DefaultIssuer = "monitor";

    public const string DefaultAudience = "monitor";

    /// <summary>HMAC-SHA256 wants a key at least as long as its output; shorter keys are refused outright.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>Clocks differ a little between the minting machine and the server; more than this is an expired token.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>Reads a configured signing key (base64, at least 32 bytes once decoded).</summary>
    /// <exception cref="FormatException">The key is not base64 or too short; the message says which.</exception>
    public static byte[] DecodeSigningKey(string encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        byte[] key;
        try
        {
            key = Convert.FromBase64String(encoded.Trim());
        }
        catch (FormatException)
        {
            throw new FormatException("the signing key must be base64 (e.g. `openssl rand -base64 32`)");
        }

        return key.Length >= MinimumKeyBytes
            ? key
            : throw new FormatException($"the signing key is {key.Length} bytes once decoded; at least {MinimumKeyBytes} are needed");
    }

    /// <summary>A fresh random signing key, base64: what <c>--demo</c> uses when none is configured.</summary>
    public static string NewSigningKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumKeyBytes));

    public static TokenValidationParameters ValidationParameters(byte[] signingKey, string issuer = DefaultIssuer, string audience = DefaultAudience) => new()
    {
        ValidateIssuer = true,
        ValidIssuer = issuer,
        ValidateAudience = true,
        ValidAudience = audience,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        ValidateIssuerSigningKey = true,
        IssuerSigningKey = new SymmetricSecurityKey(signingKey),
        // Only the algorithm we sign with: a token claiming "none" or an asymmetric algorithm is refused.
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = MonitorClaims.Name,
        RoleClaimType = MonitorClaims.Role,
    };

    /// <summary>Mints a token for one person, one role and one force, valid from <paramref name="now"/> for <paramref name="lifetime"/>.</summary>
    public static string Mint(
        byte[] signingKey, string name, string role, string force, DateTimeOffset now, TimeSpan lifetime,
        string issuer = DefaultIssuer, string audience = DefaultAudience)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(force);
        if (!MonitorRoles.IsRole(role))
        {
            throw new ArgumentException($"'{role}' is not a role (expected one of {string.Join(", ", MonitorRoles.All)})", nameof(role));
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey), SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(MonitorClaims.Subject, name),
                new Claim(MonitorClaims.Name, name),
                new Claim(MonitorClaims.Role, role),
                new Claim(MonitorClaims.Force, force),
            ]),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
