using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Infrastructure.Webhooks;

/// <summary>
/// AES-256-GCM over the secret bytes, the webhook id as associated data (a cipher copied to another webhook does not
/// open). Stored form: version byte, 12-byte nonce, 16-byte tag, cipher text. The key comes from
/// <c>Webhooks:EncryptionKey</c>, else from (or into) the key file, read on first use.
/// </summary>
internal sealed partial class WebhookSecretProtector(IOptions<WebhookOptions> options, WebhookKeyFile keyFile, ILogger<WebhookSecretProtector> logger)
    : IWebhookSecretProtector
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Lazy<byte[]> _key = new(() => LoadKey(options.Value, keyFile, logger), LazyThreadSafetyMode.ExecutionAndPublication);

    public byte[] Protect(string webhookId, ReadOnlySpan<byte> secret)
    {
        var output = new byte[1 + NonceSize + TagSize + secret.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key.Value, TagSize);
        aes.Encrypt(nonce, secret, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(webhookId));
        return output;
    }

    public byte[] Unprotect(string webhookId, byte[] cipher)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        if (cipher.Length < 1 + NonceSize + TagSize || cipher[0] != Version)
        {
            throw new CryptographicException("Not a protected webhook secret.");
        }

        var plain = new byte[cipher.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_key.Value, TagSize);
        aes.Decrypt(cipher.AsSpan(1, NonceSize), cipher.AsSpan(1 + NonceSize + TagSize), cipher.AsSpan(1 + NonceSize, TagSize), plain,
            Encoding.UTF8.GetBytes(webhookId));
        return plain;
    }

    private static byte[] LoadKey(WebhookOptions settings, WebhookKeyFile keyFile, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(settings.EncryptionKey))
        {
            return Parse(settings.EncryptionKey, "Webhooks:EncryptionKey");
        }

        var (text, created) = keyFile.ReadOrCreate(() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        if (created)
        {
            LogKeyGenerated(logger, keyFile.Path);
        }

        return Parse(text, keyFile.Path);
    }

    private static byte[] Parse(string base64, string source)
    {
        var buffer = new byte[64];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written) || written != 32)
        {
            throw new InvalidOperationException($"The webhook encryption key in {source} must be the base64 of 32 bytes.");
        }

        return buffer[..32];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhooks:EncryptionKey is not set: generated a webhook encryption key into {Path}. Every instance on this database needs the same key: set Webhooks__EncryptionKey.")]
    private static partial void LogKeyGenerated(ILogger logger, string path);
}

/// <summary>The file that holds a generated webhook encryption key (created with owner-only permissions where supported).</summary>
internal sealed class WebhookKeyFile(string path)
{
    public string Path { get; } = path;

    public (string Text, bool Created) ReadOrCreate(Func<string> generate)
    {
        if (File.Exists(Path))
        {
            return (File.ReadAllText(Path), false);
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var text = generate();
        try
        {
            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(Path, streamOptions))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
            }

            return (text, true);
        }
        catch (IOException) when (File.Exists(Path))
        {
            // Another process created it first: use theirs.
            return (File.ReadAllText(Path), false);
        }
    }
}
