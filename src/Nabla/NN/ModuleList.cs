using System.Collections;
using System.Globalization;

namespace Nabla.NN;

/// <summary>
/// Holds submodules in a list (<c>torch.nn.ModuleList</c>): registered as "0", "1", … so their parameters are the model's
/// (<c>layers.0.weight</c>). It has no forward of its own. Its repr collapses runs of equal entries as PyTorch 2.x does:
/// <c>(0-2): 3 x Linear(in_features=2, out_features=2, bias=True)</c>.
/// </summary>
public class ModuleList : Module, IEnumerable<Module>
{
    /// <summary>A list of the given modules (<c>nn.ModuleList([m0, m1])</c>).</summary>
    public ModuleList(params Module[] modules) => Extend(modules);

    /// <summary>A list of the given modules.</summary>
    public ModuleList(IEnumerable<Module> modules) => Extend(modules);

    /// <summary>Number of modules (<c>len(list)</c>).</summary>
    public int Count => OwnModules().Count();

    /// <summary>The module at a position, negative counting from the end; setting replaces it (<c>list[i] = m</c>).</summary>
    public Module this[int index]
    {
        get => OwnModules().ElementAt(Normalize(index)).Value!;
        set => RegisterModule(Key(Normalize(index)), value);
    }

    /// <summary>A new ModuleList of the modules in [start, start + length) (<c>list[a:b]</c>; <c>list[1..]</c> in C#).</summary>
    public ModuleList Slice(int start, int length) => new(this.Skip(start).Take(length));

    /// <summary>Adds a module at the end; returns this (<c>append</c>).</summary>
    public ModuleList Append(Module module)
    {
        RegisterModule(Key(Count), module);
        return this;
    }

    /// <summary>Adds modules at the end; returns this (<c>extend</c>).</summary>
    public ModuleList Extend(IEnumerable<Module> modules)
    {
        foreach (var m in modules) Append(m);
        return this;
    }

    /// <summary>Inserts a module before position <paramref name="index"/>, renumbering the ones after it (<c>insert</c>).</summary>
    public void Insert(int index, Module module)
    {
        var items = this.ToList();
        int at = Math.Clamp(index < 0 ? index + items.Count : index, 0, items.Count);
        items.Insert(at, module);
        for (int i = at; i < items.Count; i++) RegisterModule(Key(i), items[i]);
    }

    /// <summary>Removes the module at <paramref name="index"/>, renumbering the ones after it (<c>del list[i]</c>).</summary>
    public void RemoveAt(int index)
    {
        var items = this.ToList();
        int at = Normalize(index);
        items.RemoveAt(at);
        RemoveModuleEntry(Key(items.Count));
        for (int i = at; i < items.Count; i++) RegisterModule(Key(i), items[i]);
    }

    private int Normalize(int index)
    {
        int count = Count;
        int i = index < 0 ? index + count : index;
        if (i < 0 || i >= count) throw new IndexOutOfRangeException($"index {index} is out of range");
        return i;
    }

    private static string Key(int i) => i.ToString(CultureInfo.InvariantCulture);

    /// <summary>The modules in order.</summary>
    public IEnumerator<Module> GetEnumerator() => OwnModules().Select(m => m.Value!).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>PyTorch 2.x's <c>ModuleList.__repr__</c>: consecutive entries with equal reprs print once as <c>(i-j): n x repr</c>.</summary>
    protected override List<string> ChildReprLines()
    {
        var reprs = this.Select(m => m.ToString()).ToList();
        var lines = new List<string>();
        for (int start = 0; start < reprs.Count;)
        {
            int end = start;
            while (end + 1 < reprs.Count && reprs[end + 1] == reprs[start]) end++;
            lines.Add(Indent(start == end ? $"({start}): {reprs[start]}" : $"({start}-{end}): {end - start + 1} x {reprs[start]}"));
            start = end + 1;
        }
        return lines;
    }
}
