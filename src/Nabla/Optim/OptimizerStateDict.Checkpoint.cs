using System.Collections;
using System.Globalization;
using Nabla.Serialization;

namespace Nabla.Optim;

public sealed partial class OptimizerStateDict
{
    /// <summary>
    /// The optimizer state inside a loaded checkpoint (<c>torch.load(path)["optimizer"]</c>): a dict with <c>state</c>
    /// (parameter index → per-parameter state) and <c>param_groups</c> (a list of option dicts with <c>params</c>), as
    /// <c>optimizer.state_dict()</c> wrote it. Pass the result to <see cref="Optimizer.LoadStateDict"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> does not have that structure.</exception>
    public static OptimizerStateDict From(object? value)
    {
        if (value is OptimizerStateDict ready) return ready;
        if (value is not IDictionary dict || Lookup(dict, "state") is not IDictionary state || Lookup(dict, "param_groups") is not IList groups)
            throw new ArgumentException("an optimizer state dict is a dict with 'state' (a dict) and 'param_groups' (a list)");
        var sd = new OptimizerStateDict();
        foreach (DictionaryEntry e in state)
        {
            if (e.Value is not IDictionary s) throw new ArgumentException($"optimizer state for parameter {e.Key} is not a dict");
            sd.State[Convert.ToInt64(e.Key, CultureInfo.InvariantCulture)] = StringKeyed(s);
        }
        foreach (var g in groups)
            sd.ParamGroups.Add(g is IDictionary group ? StringKeyed(group) : throw new ArgumentException("a param group is not a dict"));
        return sd;
    }

    /// <summary>PyTorch's structure as a dict, for <see cref="Torch.Save(object?, string)"/>.</summary>
    internal CheckpointDict ToCheckpointDict()
    {
        var state = new CheckpointDict();
        foreach (var (id, s) in State)
        {
            var entry = new CheckpointDict();
            foreach (var (k, v) in s) entry[k] = v;
            state[id] = entry;
        }
        var groups = new List<object?>();
        foreach (var g in ParamGroups)
        {
            var entry = new CheckpointDict();
            foreach (var (k, v) in g) entry[k] = v;
            groups.Add(entry);
        }
        return new CheckpointDict { ["state"] = state, ["param_groups"] = groups };
    }

    private static object? Lookup(IDictionary d, string key) => d.Contains(key) ? d[key] : null;

    private static Dictionary<string, object?> StringKeyed(IDictionary d)
    {
        var result = new Dictionary<string, object?>();
        foreach (DictionaryEntry e in d)
            result[e.Key as string ?? throw new ArgumentException($"optimizer state key {e.Key} is not a string")] = e.Value;
        return result;
    }
}
