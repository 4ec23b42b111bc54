namespace ProxmoxLxc.Application.Common.Models;

/// <summary>An answer served from the inventory view and that view's age in whole seconds (the HTTP <c>Age</c> header).</summary>
public sealed record Inventoried<T>(T Value, long AgeSeconds);
