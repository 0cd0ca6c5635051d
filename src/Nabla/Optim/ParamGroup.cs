using System.Collections;
using System.Globalization;

namespace Nabla.Optim;

/// <summary>
/// A set of parameters with its own hyper-parameters (an entry of <c>optimizer.param_groups</c>).
/// Hyper-parameters are read and set by PyTorch's key names (<c>group["weight_decay"]</c>); unset keys take the optimizer's defaults.
/// Values are doubles, bools, <c>(double, double)</c> tuples (<c>betas</c>) or null (PyTorch's <c>None</c>, e.g. <c>foreach</c>).
/// </summary>
public sealed class ParamGroup
{
    private readonly Dictionary<string, object?> _options = [];

    /// <summary>A group of <paramref name="parameters"/>; set options with an initializer (<c>new(ps) { Lr = 0.1, ["momentum"] = 0.9 }</c>).</summary>
    public ParamGroup(IEnumerable<Tensor> parameters) => Params = parameters.ToList();

    /// <summary>The group's parameters (<c>group["params"]</c>).</summary>
    public List<Tensor> Params { get; }

    /// <summary>A hyper-parameter by PyTorch's name; reading an unset one throws <see cref="KeyNotFoundException"/>.</summary>
    public object? this[string key]
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

    /// <summary>The option names, in the order they were set (PyTorch's dict order: the group's own, then the defaults).</summary>
    public IEnumerable<string> Keys => _options.Keys;

    /// <summary>An option as a double (accepting ints).</summary>
    public double GetDouble(string key) => this[key] switch
    {
        null => throw new InvalidCastException($"param group option '{key}' is None, expected a number"),
        var v => Convert.ToDouble(v, CultureInfo.InvariantCulture),
    };

    /// <summary>An option as a bool.</summary>
    public bool GetBool(string key) => this[key] is bool b ? b : throw new InvalidCastException($"param group option '{key}' is not a bool");

    /// <summary>A pair option such as <c>betas</c>, stored as a <c>(double, double)</c> tuple or a two-element list (as loaded from a checkpoint).</summary>
    public (double, double) GetPair(string key) => this[key] switch
    {
        ValueTuple<double, double> t => t,
        IList { Count: 2 } l => (Convert.ToDouble(l[0], CultureInfo.InvariantCulture), Convert.ToDouble(l[1], CultureInfo.InvariantCulture)),
        _ => throw new InvalidCastException($"param group option '{key}' is not a pair of numbers"),
    };

    /// <summary>Sets <paramref name="key"/> only if it is unset (Python's <c>group.setdefault</c>).</summary>
    public void SetDefault(string key, object? value) => _options.TryAdd(key, value);

    /// <summary>The options other than the parameters, in order.</summary>
    internal IEnumerable<KeyValuePair<string, object?>> Options => _options;

    /// <summary>Replaces every option by <paramref name="options"/> (a loaded state dict's group), keeping the parameters.</summary>
    internal void ReplaceOptions(IEnumerable<KeyValuePair<string, object?>> options)
    {
        _options.Clear();
        foreach (var (k, v) in options)
            if (k != "params") _options[k] = v;
    }
}
