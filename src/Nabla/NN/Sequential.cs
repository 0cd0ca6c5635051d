using System.Collections;
using System.Globalization;

namespace Nabla.NN;

/// <summary>
/// Runs modules one after another, each on the previous one's output (<c>torch.nn.Sequential</c>). Children are named "0", "1", …
/// or by the keys of an ordered dictionary; they can be indexed (<c>seq[0]</c>, <c>seq[^1]</c>, <c>seq[1..]</c>), appended and enumerated.
/// </summary>
public class Sequential : Module, IEnumerable<Module>
{
    /// <summary>Children named by position (<c>nn.Sequential(m0, m1, ...)</c>).</summary>
    public Sequential(params Module[] modules)
    {
        for (int i = 0; i < modules.Length; i++) RegisterModule(i.ToString(CultureInfo.InvariantCulture), modules[i]);
    }

    /// <summary>Children named by the dictionary's keys, in its order (<c>nn.Sequential(OrderedDict(...))</c>).</summary>
    public Sequential(OrderedDictionary<string, Module> modules) : this(modules.Select(kv => (kv.Key, kv.Value))) { }

    /// <summary>Children named by the given names, in order.</summary>
    public Sequential(IEnumerable<(string Name, Module Module)> modules)
    {
        foreach (var (name, module) in modules) RegisterModule(name, module);
    }

    /// <summary>Number of children (<c>len(seq)</c>).</summary>
    public int Count => OwnModules().Count();

    /// <summary>The child at a position; negative or <c>^n</c> positions count from the end (<c>seq[i]</c>). Setting replaces it under the same name.</summary>
    public Module this[int index]
    {
        get => Entry(index).Module!;
        set => RegisterModule(Entry(index).Name, value);
    }

    /// <summary>A new Sequential of the children in [start, start + length), keeping their names (<c>seq[a:b]</c>; <c>seq[1..]</c> in C#).</summary>
    public Sequential Slice(int start, int length) => new(OwnModules().Skip(start).Take(length).Select(m => (m.Name, m.Value!)));

    /// <summary>Adds a module at the end, named by its position; returns this (<c>seq.append(module)</c>).</summary>
    public Sequential Append(Module module)
    {
        RegisterModule(Count.ToString(CultureInfo.InvariantCulture), module);
        return this;
    }

    private (string Name, Module? Module) Entry(int index)
    {
        var entries = OwnModules().ToArray();
        int i = index < 0 ? index + entries.Length : index;
        if (i < 0 || i >= entries.Length) throw new IndexOutOfRangeException($"index {index} is out of range");
        return entries[i];
    }

    /// <summary>
    /// Feeds the input through each child in order, calling each with its hooks. In inference (no gradient needed, no
    /// ONNX trace), a <see cref="Linear"/> followed by a <see cref="ReLU"/>, neither with hooks, runs as one product with
    /// bias and ReLU in its epilogue: the same values, one pass over the output.
    /// </summary>
    public override Tensor Forward(Tensor input)
    {
        Module? previous = null;
        foreach (var module in this)
        {
            if (previous is Linear linear && module.GetType() == typeof(ReLU) && !module.HasForwardHooks && FusesWithRelu(linear, input))
            {
                input = Tensor.LinearRaw(input, linear.Weight, linear.Bias, relu: true, inference: true);
                previous = null;
                continue;
            }
            if (previous is not null) input = previous.Call(input);
            previous = module;
        }
        return previous is null ? input : previous.Call(input);
    }

    // The fused path's conditions: an exact Linear without hooks on a 2-D input it accepts, nothing to record.
    private static bool FusesWithRelu(Linear linear, Tensor input)
        => linear.GetType() == typeof(Linear) && !linear.HasForwardHooks && !Tracing.Trace.Active
            && input.Dim == 2 && linear.Weight.Dim == 2 && input.Size(1) == linear.Weight.Size(1)
            && !Autograd.Graph.Needs(linear.Bias is null ? [input, linear.Weight] : [input, linear.Weight, linear.Bias]);

    /// <summary>The children in order.</summary>
    public IEnumerator<Module> GetEnumerator() => OwnModules().Select(m => m.Value!).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
