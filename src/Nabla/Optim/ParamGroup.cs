namespace Nabla.Optim;

/// <summary>
/// A set of parameters with its own hyper-parameters (an entry of <c>optimizer.param_groups</c>).
/// Hyper-parameters are read and set by PyTorch's key names (<c>group["weight_decay"]</c>); unset keys take the optimizer's defaults.
/// </summary>
public sealed class ParamGroup
{
    private readonly Dictionary<string, object> _options = [];

    /// <summary>A group of <paramref name="parameters"/>; set options with an initializer (<c>new(ps) { Lr = 0.1, ["momentum"] = 0.9 }</c>).</summary>
    public ParamGroup(IEnumerable<Tensor> parameters) => Params = parameters.ToList();

    /// <summary>The group's parameters (<c>group["params"]</c>).</summary>
    public List<Tensor> Params { get; }

    /// <summary>A hyper-parameter by PyTorch's name.</summary>
    public object this[string key]
    {
        get => _options.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"param group has no option '{key}'");
        set => _options[key] = value;
    }

    /// <summary>The learning rate (<c>group["lr"]</c>).</summary>
    public double Lr
    {
        get => GetDouble("lr");
        set => _options["lr"] = value;
    }

    /// <summary>Whether the option is set.</summary>
    public bool ContainsKey(string key) => _options.ContainsKey(key);

    /// <summary>The option names, in the order they were set.</summary>
    public IEnumerable<string> Keys => _options.Keys;

    /// <summary>An option as a double (accepting ints).</summary>
    public double GetDouble(string key) => Convert.ToDouble(this[key], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An option as a bool.</summary>
    public bool GetBool(string key) => (bool)this[key];

    internal void SetDefault(string key, object value) => _options.TryAdd(key, value);
}
