using System.Collections;

namespace Nabla.NN;

/// <summary>
/// Holds submodules by name, in insertion order (<c>torch.nn.ModuleDict</c>): registered under their keys so their parameters
/// are the model's (<c>heads.cls.weight</c>). It has no forward of its own. Supports <c>new ModuleDict { ["a"] = m }</c>.
/// </summary>
public class ModuleDict : Module, IEnumerable<KeyValuePair<string, Module>>
{
    /// <summary>An empty dictionary.</summary>
    public ModuleDict() { }

    /// <summary>The given modules under their keys, in order (<c>nn.ModuleDict({...})</c>).</summary>
    public ModuleDict(IEnumerable<KeyValuePair<string, Module>> modules)
    {
        foreach (var (key, module) in modules) this[key] = module;
    }

    /// <summary>Number of entries.</summary>
    public int Count => OwnModules().Count();

    /// <summary>The module under <paramref name="key"/>; setting adds or replaces it (<c>dict[key]</c>).</summary>
    public Module this[string key]
    {
        get => OwnModules().FirstOrDefault(m => m.Name == key).Value ?? throw new KeyNotFoundException($"'{key}'");
        set => RegisterModule(key, value);
    }

    /// <summary>Adds or replaces an entry (lets collection initialisers work).</summary>
    public void Add(string key, Module module) => this[key] = module;

    /// <summary>The keys in order.</summary>
    public IEnumerable<string> Keys => OwnModules().Select(m => m.Name);

    /// <summary>The modules in order.</summary>
    public IEnumerable<Module> Values => OwnModules().Select(m => m.Value!);

    /// <summary>Whether an entry exists (<c>key in dict</c>).</summary>
    public bool ContainsKey(string key) => OwnModules().Any(m => m.Name == key);

    /// <summary>Removes an entry and returns its module (<c>dict.pop(key)</c>).</summary>
    public Module Pop(string key)
    {
        var module = this[key];
        RemoveModuleEntry(key);
        return module;
    }

    /// <summary>The entries in order.</summary>
    public IEnumerator<KeyValuePair<string, Module>> GetEnumerator()
        => OwnModules().Select(m => new KeyValuePair<string, Module>(m.Name, m.Value!)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
