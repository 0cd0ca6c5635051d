using Nabla.Autograd;

namespace Nabla.NN;

/// <summary>What <see cref="Module.LoadStateDict"/> could not match (<c>_IncompatibleKeys</c>).</summary>
public sealed record IncompatibleKeys(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys)
{
    /// <inheritdoc/>
    public override string ToString() => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0
        ? "<All keys matched successfully>"
        : $"_IncompatibleKeys(missing_keys=[{Quote(MissingKeys)}], unexpected_keys=[{Quote(UnexpectedKeys)}])";

    private static string Quote(IEnumerable<string> keys) => string.Join(", ", keys.Select(k => $"'{k}'"));
}

/// <summary>A state dict did not fit the module: every missing and unexpected key and every shape mismatch is listed.</summary>
public sealed class StateDictException(string message, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatches)
    : InvalidOperationException(message)
{
    /// <summary>Keys the module has but the dict lacks.</summary>
    public IReadOnlyList<string> MissingKeys { get; } = missing;
    /// <summary>Keys the dict has but the module lacks.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; } = unexpected;
    /// <summary>One line per key whose shape differs.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; } = mismatches;
}

public abstract partial class Module
{
    /// <summary>
    /// Parameters and persistent buffers by dotted key: each module's own parameters, then its own buffers,
    /// then each child's, recursively (<c>state_dict()</c>). Values share storage with the module's tensors.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict(string prefix = "", bool keepVars = false)
    {
        var dict = new OrderedDictionary<string, Tensor>();
        AddState(dict, prefix, keepVars);
        return dict;
    }

    private void AddState(OrderedDictionary<string, Tensor> dict, string prefix, bool keepVars)
    {
        foreach (var (name, p) in OwnParameters())
            if (p is not null) dict[Join(prefix, name)] = keepVars ? p : p.Detach();
        foreach (var (name, b, persistent) in OwnBuffers())
            if (b is not null && persistent) dict[Join(prefix, name)] = keepVars ? b : b.Detach();
        foreach (var (name, m) in OwnModules())
            m?.AddState(dict, Join(prefix, name), keepVars);
    }

    /// <summary>
    /// Copies values from <paramref name="stateDict"/> into this module's parameters and persistent buffers
    /// (<c>load_state_dict(state_dict, strict)</c>). Shape mismatches always throw; missing and unexpected
    /// keys throw when <paramref name="strict"/>, else are returned.
    /// </summary>
    public IncompatibleKeys LoadStateDict(IEnumerable<KeyValuePair<string, Tensor>> stateDict, bool strict = true)
    {
        var given = new Dictionary<string, Tensor>();
        var givenOrder = new List<string>();
        foreach (var (k, v) in stateDict)
        {
            if (given.TryAdd(k, v)) givenOrder.Add(k);
            else given[k] = v;
        }
        var targets = StateDict(keepVars: true);
        var missing = new List<string>();
        var mismatches = new List<string>();
        var toCopy = new List<(Tensor Target, Tensor Source)>();
        foreach (var (key, target) in targets)
        {
            if (!given.TryGetValue(key, out var source)) { missing.Add(key); continue; }
            if (!Shapes.SameShape(source._shape, target._shape))
                mismatches.Add($"size mismatch for {key}: copying a param with shape {source.Size()} from checkpoint, the shape in current model is {target.Size()}.");
            else toCopy.Add((target, source));
        }
        var unexpected = givenOrder.Where(k => !targets.ContainsKey(k)).ToList();

        var errors = new List<string>();
        if (strict && missing.Count > 0) errors.Add("Missing key(s) in state_dict: " + string.Join(", ", missing.Select(k => $"\"{k}\"")) + ". ");
        if (strict && unexpected.Count > 0) errors.Add("Unexpected key(s) in state_dict: " + string.Join(", ", unexpected.Select(k => $"\"{k}\"")) + ". ");
        errors.AddRange(mismatches);
        if (errors.Count > 0)
            throw new StateDictException(
                $"Error(s) in loading state_dict for {GetType().Name}:\n\t" + string.Join("\n\t", errors), missing, unexpected, mismatches);

        // Nothing is written unless every key fits.
        using (GradMode.Set(false))
            foreach (var (target, source) in toCopy) target.Copy_(source);
        return new IncompatibleKeys(missing, unexpected);
    }
}
