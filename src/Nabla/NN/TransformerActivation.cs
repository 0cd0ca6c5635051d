namespace Nabla.NN;

/// <summary>
/// The feed-forward activation of a Transformer layer: <c>"relu"</c>, <c>"gelu"</c> or any function (PyTorch's
/// <c>activation: Union[str, Callable[[Tensor], Tensor]]</c>). A string or a function converts to it implicitly.
/// </summary>
public sealed class TransformerActivation
{
    /// <summary>The function applied.</summary>
    public Func<Tensor, Tensor> Function { get; }

    /// <summary>"relu" or "gelu" when made from a name; null for a function.</summary>
    public string? Name { get; }

    private TransformerActivation(Func<Tensor, Tensor> function, string? name)
    {
        Function = function;
        Name = name;
    }

    /// <summary>The activation named "relu" or "gelu" (PyTorch's <c>_get_activation_fn</c>).</summary>
    public static TransformerActivation FromName(string name) => name switch
    {
        "relu" => new(x => Functional.Relu(x), name),
        "gelu" => new(x => Functional.Gelu(x), name),
        _ => throw new ArgumentException($"activation should be relu/gelu, not {name}"),
    };

    /// <summary>A name, as <see cref="FromName"/>.</summary>
    public static implicit operator TransformerActivation(string name) => FromName(name);

    /// <summary>Any function of a tensor.</summary>
    public static implicit operator TransformerActivation(Func<Tensor, Tensor> function) => new(function ?? throw new ArgumentNullException(nameof(function)), null);
}
