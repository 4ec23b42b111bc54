using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProxmoxLxc.Client;

/// <summary>
/// <c>PATCH /keys/{id}</c> changes only the fields the body names, and <c>"expiresAt": null</c> clears an expiry.
/// The keys client therefore leaves unset (null) properties out of its request bodies: renaming a key through it
/// never clears the key's expiry by accident. (Clearing an expiry needs a body that names <c>expiresAt</c> as null.)
/// </summary>
public partial class KeysClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
}
