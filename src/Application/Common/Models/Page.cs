namespace ProxmoxLxc.Application.Common.Models;

/// <summary>A page of a list; pass <see cref="NextCursor"/> as <c>cursor</c> to go on (null at the end).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
