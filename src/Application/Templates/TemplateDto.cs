using System.Text.Json.Serialization;

namespace ProxmoxLxc.Application.Templates;

/// <summary>A container template on a node's storage; pass <see cref="VolId"/> as <c>template</c> when creating a container.</summary>
public sealed record TemplateDto
{
    /// <summary>Volume id, e.g. <c>local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst</c>.</summary>
    [JsonPropertyName("volid")]
    public required string VolId { get; init; }
    /// <summary>File name, e.g. <c>debian-12-standard_12.7-1_amd64.tar.zst</c>.</summary>
    public required string Name { get; init; }
    public required long SizeBytes { get; init; }
    public required string Storage { get; init; }
    public required string Node { get; init; }
    public required string? Format { get; init; }
    public required DateTimeOffset? CreatedAt { get; init; }
}
