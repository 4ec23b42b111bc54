using System.Security.Cryptography;
using System.Text;

namespace ProxmoxLxc.WebApi.FunctionalTests.Webhooks;

/// <summary>
/// A receiver's check of a message per the Standard Webhooks specification, written from the specification (it does
/// not use the service's code): the key is the base64 after <c>whsec_</c>; the signed content is
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>; <c>webhook-signature</c> is a space-separated list of
/// <c>v1,&lt;base64 HMAC-SHA256&gt;</c> entries, one of which must match (compared in constant time); the timestamp
/// must be within the tolerance of the receiver's clock.
/// </summary>
public static class StandardWebhooksVerifier
{
    public static bool Verify(string secret, string id, string timestamp, string signatureHeader, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!secret.StartsWith("whsec_", StringComparison.Ordinal) || !long.TryParse(timestamp, out var seconds))
        {
            return false;
        }

        if (Math.Abs((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).TotalSeconds) > tolerance.TotalSeconds)
        {
            return false;
        }

        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        using var hmac = new HMACSHA256(key);
        var expected = hmac.ComputeHash(Encoding.UTF8.GetBytes(id + "." + timestamp + "." + body));
        foreach (var entry in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || entry[..comma] != "v1")
            {
                continue;
            }

            byte[] presented;
            try
            {
                presented = Convert.FromBase64String(entry[(comma + 1)..]);
            }
            catch (FormatException)
            {
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                return true;
            }
        }

        return false;
    }
}
