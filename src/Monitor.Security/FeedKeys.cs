using System.Security.Cryptography;
using System.Text;

namespace Monitor.Security;

/// <summary>
/// Feed API keys: 256 random bits, shown once, stored only as a SHA-256 hash. A plain (unsalted, fast) hash is
/// enough here because the keys are random and long: there is no dictionary to try, unlike with passwords.
/// </summary>
public static class FeedKeys
{
    /// <summary>The prefix makes a leaked key recognisable by secret scanners and in logs.</summary>
    public const string Prefix = "mfk_";

    public const string HashPrefix = "sha256:";

    public static string New() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of a key: <c>sha256:</c> and the lowercase hex digest of its UTF-8 bytes.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>The digest bytes of a stored hash, or null when it is not of the form <see cref="Hash"/> writes.</summary>
    public static byte[]? DigestOf(string storedHash)
    {
        if (storedHash is null || !storedHash.StartsWith(HashPrefix, StringComparison.Ordinal) || storedHash.Length != HashPrefix.Length + 64)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(storedHash.AsSpan(HashPrefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The digest of a presented key, to compare with <see cref="DigestOf"/> in fixed time.</summary>
    public static byte[] DigestOfKey(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
