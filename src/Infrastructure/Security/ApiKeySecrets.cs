using System.Security.Cryptography;
using System.Text;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Infrastructure.Security;

/// <summary>
/// Keys are <c>pxl_&lt;keyId&gt;_&lt;secret&gt;</c>: a 12-character base62 id and a 43-character base62 secret
/// (≈256 bits from the OS CSPRNG). Only SHA-256(secret) is stored — right for high-entropy tokens,
/// where a slow password hash adds nothing but latency — and compared in constant time.
/// </summary>
internal sealed class ApiKeySecrets : IApiKeySecrets
{
    public const string Prefix = "pxl_";
    public const int KeyIdLength = 12;
    public const int SecretLength = 43;
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public GeneratedApiKey Generate() => Regenerate(RandomBase62(KeyIdLength));

    public GeneratedApiKey Regenerate(string keyId)
    {
        var secret = RandomBase62(SecretLength);
        return new GeneratedApiKey(keyId, $"{Prefix}{keyId}_{secret}", Hash(secret));
    }

    public bool TryParse(string? plaintext, out string keyId, out string secret)
    {
        keyId = string.Empty;
        secret = string.Empty;
        if (plaintext is null || plaintext.Length != Prefix.Length + KeyIdLength + 1 + SecretLength
            || !plaintext.StartsWith(Prefix, StringComparison.Ordinal) || plaintext[Prefix.Length + KeyIdLength] != '_')
        {
            return false;
        }

        var id = plaintext.Substring(Prefix.Length, KeyIdLength);
        var sec = plaintext[(Prefix.Length + KeyIdLength + 1)..];
        if (!IsBase62(id) || !IsBase62(sec))
        {
            return false;
        }

        keyId = id;
        secret = sec;
        return true;
    }

    public byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public bool Verify(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    private static string RandomBase62(int length) => RandomNumberGenerator.GetString(Base62, length);

    private static bool IsBase62(string value) => value.All(char.IsAsciiLetterOrDigit);
}
