using Microsoft.Net.Http.Headers;
using ProxmoxLxc.Application.Common.Exceptions;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// Bodies are UTF-8 (RFC 8259, the contract). Before any body is read, a <c>Content-Type</c> that cannot be parsed or
/// names an empty charset answers 400 (keyed by the header), any charset other than UTF-8 answers 415 — so no decoder
/// ever sees, say, an odd number of UTF-16 bytes.
/// </summary>
internal sealed class RequestCharsetMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var header = context.Request.ContentType;
        if (!string.IsNullOrEmpty(header))
        {
            if (!MediaTypeHeaderValue.TryParse(header, out var mediaType))
            {
                throw Invalid("The Content-Type header cannot be parsed.");
            }

            var charset = mediaType.Parameters.FirstOrDefault(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase));
            if (charset is not null)
            {
                var name = HeaderUtilities.RemoveQuotes(charset.Value).Trim();
                if (name.Length == 0)
                {
                    throw Invalid("The charset parameter of Content-Type is empty; send UTF-8 and omit it or say charset=utf-8.");
                }

                if (!name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !name.Equals("utf8", StringComparison.OrdinalIgnoreCase))
                {
                    throw new BadHttpRequestException("Request bodies must be UTF-8.", StatusCodes.Status415UnsupportedMediaType);
                }
            }
        }

        return next(context);
    }

    private static RequestValidationException Invalid(string message) =>
        new(new Dictionary<string, string[]> { ["Content-Type"] = [message] }, message: message);
}
