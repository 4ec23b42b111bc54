using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// Binds a repeated integer query parameter (<c>?vmid=100&amp;vmid=101…</c>, up to 500 values) in one pass over the
/// query string's values. MVC's collection binder enters and leaves a nested binding scope and a type converter per
/// element, which showed in the batch status profile. A value that is not an integer is a model error under the
/// parameter's name, as with MVC's binder (answered 400 <c>validation_failed</c>).
/// </summary>
internal sealed class QueryIntArrayModelBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var name = bindingContext.ModelName;
        var values = bindingContext.ValueProvider.GetValue(name);
        if (values == ValueProviderResult.None)
        {
            return Task.CompletedTask;
        }

        bindingContext.ModelState.SetModelValue(name, values);
        var result = new int[values.Length];
        var i = 0;
        foreach (var value in values)
        {
            if (!int.TryParse(value, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result[i++]))
            {
                bindingContext.ModelState.TryAddModelError(name,
                    bindingContext.ModelMetadata.ModelBindingMessageProvider.ValueIsInvalidAccessor(value ?? string.Empty));
                bindingContext.Result = ModelBindingResult.Failed();
                return Task.CompletedTask;
            }
        }

        bindingContext.Result = ModelBindingResult.Success(result);
        return Task.CompletedTask;
    }
}

/// <summary>Chooses <see cref="QueryIntArrayModelBinder"/> for <c>int[]</c> parameters bound from the query string.</summary>
internal sealed class QueryIntArrayModelBinderProvider : IModelBinderProvider
{
    private static readonly QueryIntArrayModelBinder Binder = new();

    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Metadata.ModelType == typeof(int[]) && context.BindingInfo.BindingSource == BindingSource.Query ? Binder : null;
    }
}
