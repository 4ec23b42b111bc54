using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ProxmoxEmulator;

public sealed partial class EmulatorEngine
{
    /// <summary>Creates a ticket for <paramref name="userId"/> (as <c>POST /access/ticket</c> would).</summary>
    public string CreateTicket(string userId)
    {
        var data = $"PVE:{userId}:{Hex8(UnixNow)}";
        return data + "::" + Convert.ToBase64String(HMACSHA256.HashData(_ticketKey, Encoding.UTF8.GetBytes(data)));
    }

    /// <summary>Creates a CSRF prevention token bound to <paramref name="userId"/>.</summary>
    public string CreateCsrfToken(string userId)
    {
        var time = Hex8(UnixNow);
        return time + ":" + Convert.ToBase64String(HMACSHA256.HashData(_csrfKey, Encoding.UTF8.GetBytes(time + ":" + userId)));
    }

    /// <summary>Returns the user of a valid, unexpired ticket, else null.</summary>
    internal string? VerifyTicket(string ticket)
    {
        var sep = ticket.IndexOf("::", StringComparison.Ordinal);
        if (!ticket.StartsWith("PVE:", StringComparison.Ordinal) || sep < 0)
            return null;
        var data = ticket[..sep];
        var expected = HMACSHA256.HashData(_ticketKey, Encoding.UTF8.GetBytes(data));
        byte[] actual;
        try
        {
            actual = Convert.FromBase64String(ticket[(sep + 2)..]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
            return null;
        var parts = data.Split(':');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var time))
            return null;
        return IsFresh(time) ? parts[1] : null;
    }

    private bool VerifyCsrf(string token, string user)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon != 8 || !long.TryParse(token[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var time))
            return false;
        var expected = Convert.ToBase64String(HMACSHA256.HashData(_csrfKey, Encoding.UTF8.GetBytes(token[..8] + ":" + user)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(token[(colon + 1)..]))
            && IsFresh(time);
    }

    private bool IsFresh(long time)
    {
        var age = UnixNow - time;
        return age >= -300 && age < Options.TicketLifetime.TotalSeconds;
    }

    private (AuthKind Kind, string? User, string? Error) Authenticate(HttpContext context, string method)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("PVEAPIToken=", StringComparison.Ordinal))
        {
            var value = authorization["PVEAPIToken=".Length..];
            var bang = value.IndexOf('!', StringComparison.Ordinal);
            var eq = bang < 0 ? -1 : value.IndexOf('=', bang);
            if (eq > 0 && value.Count(c => c == '!') == 1)
            {
                var tokenId = value[..eq];
                var secret = value[(eq + 1)..];
                var token = Options.Tokens.FirstOrDefault(t => t.TokenId == tokenId);
                if (token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token.Secret), Encoding.UTF8.GetBytes(secret)))
                    return (AuthKind.Token, tokenId, null);
            }
            return (AuthKind.None, null, "Authentication failed!");
        }

        string? ticket = null;
        if (authorization.StartsWith("PVEAuthCookie=", StringComparison.Ordinal))
            ticket = authorization["PVEAuthCookie=".Length..];
        else if (context.Request.Cookies.TryGetValue("PVEAuthCookie", out var cookie))
            ticket = cookie;
        if (string.IsNullOrEmpty(ticket))
            return (AuthKind.None, null, "No ticket");
        if (ticket.Contains('%', StringComparison.Ordinal))
            ticket = Uri.UnescapeDataString(ticket);
        var user = VerifyTicket(ticket);
        if (user is null)
            return (AuthKind.None, null, "Authentication failed!");
        if (method != "GET")
        {
            var csrf = context.Request.Headers["CSRFPreventionToken"].ToString();
            if (csrf.Length == 0 || !VerifyCsrf(csrf, user))
                return (AuthKind.Ticket, user, "Permission denied - invalid csrf token");
        }
        return (AuthKind.Ticket, user, null);
    }

    private JsonObject Login(ApiRequest req)
    {
        var username = req.Required("username");
        var realm = req.Str("realm");
        if (!username.Contains('@', StringComparison.Ordinal) && realm is not null)
            username += "@" + realm;
        var password = req.Required("password");
        _ = req.Str("otp");
        _ = req.Bool("new-format", true);
        bool ok;
        if (password.StartsWith("PVE:", StringComparison.Ordinal))
            ok = VerifyTicket(password) == username;
        else
            ok = Options.Users.Any(u => u.UserId == username && u.Password == password);
        if (!ok)
            throw new PveException(401, "authentication failure");
        return new JsonObject
        {
            ["username"] = username,
            ["ticket"] = CreateTicket(username),
            ["CSRFPreventionToken"] = CreateCsrfToken(username),
            ["clustername"] = Options.ClusterName,
            ["cap"] = new JsonObject
            {
                ["vms"] = new JsonObject { ["VM.PowerMgmt"] = 1, ["VM.Allocate"] = 1, ["VM.Config.Disk"] = 1, ["VM.Audit"] = 1, ["VM.Snapshot"] = 1, ["VM.Clone"] = 1 },
                ["storage"] = new JsonObject { ["Datastore.AllocateSpace"] = 1, ["Datastore.Audit"] = 1 },
                ["nodes"] = new JsonObject { ["Sys.Audit"] = 1 },
                ["access"] = new JsonObject(),
                ["dc"] = new JsonObject { ["Sys.Audit"] = 1 },
                ["sdn"] = new JsonObject(),
                ["mapping"] = new JsonObject(),
            },
        };
    }
}
