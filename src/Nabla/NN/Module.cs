using System.Diagnostics.CodeAnalysis;
using System.Text;
using Nabla.Autograd;

namespace Nabla.NN;

/// <summary>
/// Base class of all layers and models (<c>torch.nn.Module</c>). Parameter and Module fields register
/// themselves under their names in the order they are assigned; plain Tensor fields are not registered
/// (not even as buffers). Buffers are registered only through <see cref="RegisterBuffer"/>.
/// </summary>
[DynamicallyAccessedMembers(FieldRegistry.ModuleMembers)]
public abstract partial class Module
{
    // name -> value; a null value is a registered None (skipped in listings). Insertion order is PyTorch's order.
    private readonly OrderedDictionary<string, Parameter?> _parameters = [];
    private readonly OrderedDictionary<string, Tensor?> _buffers = [];
    private readonly OrderedDictionary<string, Module?> _modules = [];
    private readonly HashSet<string> _nonPersistent = [];
    private readonly Dictionary<string, FieldRegistry.Member> _fieldBound = [];

    /// <summary>Creates an empty module; the first one built starts compiling the training path in the background (see <c>Warmup</c>).</summary>
    protected Module() => Warmup.Start();

    /// <summary>Whether the module is in training mode (<c>module.training</c>).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>The forward pass for one input. Override it (or another <c>Forward</c> overload) in your module.</summary>
    public virtual Tensor Forward(Tensor input)
        => throw new InvalidOperationException($"Module [{GetType().Name}] is missing the required \"forward\" function");

    /// <summary>The forward pass for two inputs (e.g. loss modules: input and target).</summary>
    public virtual Tensor Forward(Tensor input, Tensor other)
        => throw new InvalidOperationException($"Module [{GetType().Name}] has no forward taking two tensors");

    /// <summary>The forward pass for any number of inputs; dispatches to the one- and two-input overloads.</summary>
    public virtual Tensor Forward(Tensor[] inputs) => inputs.Length switch
    {
        1 => Forward(inputs[0]),
        2 => Forward(inputs[0], inputs[1]),
        _ => throw new InvalidOperationException($"Module [{GetType().Name}] has no forward taking {inputs.Length} tensors"),
    };

    /// <summary>Runs the forward pass with hooks, as calling the module does in PyTorch (<c>module(x)</c>).</summary>
    public Tensor Call(params Tensor[] inputs)
    {
        Memory.BufferPool.SafePoint(stepBoundary: t_callDepth == 0);
        t_callDepth++;
        try
        {
            return RunHooks(inputs);
        }
        finally
        {
            t_callDepth--;
        }
    }

    // Module calls under way on this thread: only the outermost is a step boundary for the memory pool.
    [ThreadStatic] private static int t_callDepth;

    // ---- registration ----

    /// <summary>Picks up Parameter and Module fields assigned since the last look, in declaration order.</summary>
    private void SyncFields()
    {
        foreach (var member in FieldRegistry.For(GetType()))
        {
            if (_fieldBound.ContainsKey(member.Name)) continue;
            var value = member.Field.GetValue(this);
            if (value is null) continue;
            if (_parameters.ContainsKey(member.Name) || _modules.ContainsKey(member.Name) || _buffers.ContainsKey(member.Name)) continue;
            _fieldBound[member.Name] = member;
            if (member.IsParameter) _parameters[member.Name] = null;
            else _modules[member.Name] = null;
        }
    }

    private Parameter? ParameterValue(string name, Parameter? stored)
        => _fieldBound.TryGetValue(name, out var m) ? (Parameter?)m.Field.GetValue(this) : stored;

    private Module? ModuleValue(string name, Module? stored)
        => _fieldBound.TryGetValue(name, out var m) ? (Module?)m.Field.GetValue(this) : stored;

    private void CheckNewName(string name, string kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) throw new ArgumentException($"{kind} name can't be empty string \"\"");
        if (name.Contains('.')) throw new ArgumentException($"{kind} name can't contain \".\" (got \"{name}\")");
        SyncFields();
    }

    /// <summary>Registers a parameter under <paramref name="name"/>; null registers a None (<c>register_parameter</c>).</summary>
    public void RegisterParameter(string name, Parameter? parameter)
    {
        CheckNewName(name, "parameter");
        if (_buffers.ContainsKey(name) || _modules.ContainsKey(name)) throw new ArgumentException($"attribute '{name}' already exists");
        _fieldBound.Remove(name);
        _parameters[name] = parameter;
    }

    /// <summary>Registers a buffer: state that is not a parameter; persistent buffers are in <see cref="StateDict"/> (<c>register_buffer</c>).</summary>
    public void RegisterBuffer(string name, Tensor? tensor, bool persistent = true)
    {
        CheckNewName(name, "buffer");
        if (tensor is Parameter) throw new ArgumentException($"cannot assign a Parameter as buffer '{name}' (torch.nn.Parameter or None expected... use RegisterParameter)");
        if (_parameters.ContainsKey(name) || _modules.ContainsKey(name)) throw new ArgumentException($"attribute '{name}' already exists");
        _buffers[name] = tensor;
        if (persistent) _nonPersistent.Remove(name);
        else _nonPersistent.Add(name);
    }

    /// <summary>Registers a child module (<c>register_module</c> / <c>add_module</c>).</summary>
    public void RegisterModule(string name, Module? module)
    {
        CheckNewName(name, "module");
        if (_parameters.ContainsKey(name) || _buffers.ContainsKey(name)) throw new ArgumentException($"attribute '{name}' already exists");
        _fieldBound.Remove(name);
        _modules[name] = module;
    }

    /// <summary>Same as <see cref="RegisterModule"/> (<c>add_module</c>).</summary>
    public void AddModule(string name, Module? module) => RegisterModule(name, module);

    /// <summary>Replaces the value of a registered buffer, keeping its place and persistence (<c>self.name = tensor</c>).</summary>
    protected void SetBuffer(string name, Tensor? tensor)
    {
        if (!_buffers.ContainsKey(name)) throw new KeyNotFoundException($"no buffer named '{name}'");
        _buffers[name] = tensor;
    }

    // ---- lookup ----

    /// <summary>The module's own parameters with names, None entries included as null.</summary>
    internal IEnumerable<(string Name, Parameter? Value)> OwnParameters()
    {
        SyncFields();
        foreach (var (name, stored) in _parameters) yield return (name, ParameterValue(name, stored));
    }

    internal IEnumerable<(string Name, Tensor? Value, bool Persistent)> OwnBuffers()
    {
        SyncFields();
        foreach (var (name, value) in _buffers) yield return (name, value, !_nonPersistent.Contains(name));
    }

    internal IEnumerable<(string Name, Module? Value)> OwnModules()
    {
        SyncFields();
        foreach (var (name, stored) in _modules) yield return (name, ModuleValue(name, stored));
    }

    /// <summary>A registered parameter of this module by name (<c>getattr(module, name)</c>), or null.</summary>
    public Parameter? GetParameter(string name) => OwnParameters().FirstOrDefault(p => p.Name == name).Value;

    /// <summary>A registered buffer of this module by name, or null.</summary>
    public Tensor? GetBuffer(string name) => OwnBuffers().FirstOrDefault(b => b.Name == name).Value;

    /// <summary>The submodule at a dotted path such as <c>"encoder.fc1"</c> (<c>get_submodule</c>).</summary>
    public Module GetSubmodule(string target)
    {
        if (target.Length == 0) return this;
        Module current = this;
        foreach (var part in target.Split('.'))
        {
            var next = current.OwnModules().FirstOrDefault(m => m.Name == part).Value;
            current = next ?? throw new KeyNotFoundException($"{current.GetType().Name} has no attribute `{part}`");
        }
        return current;
    }

    // ---- enumeration ----

    /// <summary>Direct children with their names, each module once (<c>named_children()</c>).</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        foreach (var (name, m) in OwnModules())
            if (m is not null && seen.Add(m)) yield return (name, m);
    }

    /// <summary>Direct children (<c>children()</c>).</summary>
    public IEnumerable<Module> Children() => NamedChildren().Select(c => c.Module);

    /// <summary>This module and all descendants, pre-order, each once; the root's name is "" (<c>named_modules()</c>).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        return NamedModulesCore(prefix, seen);
    }

    private IEnumerable<(string, Module)> NamedModulesCore(string prefix, HashSet<Module> seen)
    {
        if (!seen.Add(this)) yield break;
        yield return (prefix, this);
        foreach (var (name, m) in OwnModules())
        {
            if (m is null) continue;
            foreach (var item in m.NamedModulesCore(Join(prefix, name), seen)) yield return item;
        }
    }

    /// <summary>This module and all descendants (<c>modules()</c>).</summary>
    public IEnumerable<Module> Modules() => NamedModules().Select(m => m.Module);

    /// <summary>Parameters with dotted names, this module's first, then each submodule's; each parameter once (<c>named_parameters()</c>).</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters(string prefix = "", bool recurse = true)
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var modules = recurse ? NamedModules(prefix) : [(prefix, this)];
        foreach (var (modName, module) in modules)
            foreach (var (name, p) in module.OwnParameters())
                if (p is not null && seen.Add(p)) yield return (Join(modName, name), p);
    }

    /// <summary>All parameters (<c>parameters()</c>), e.g. for an optimizer.</summary>
    public IEnumerable<Parameter> Parameters(bool recurse = true) => NamedParameters(recurse: recurse).Select(p => p.Parameter);

    /// <summary>Buffers with dotted names, persistent or not (<c>named_buffers()</c>).</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(string prefix = "", bool recurse = true)
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var modules = recurse ? NamedModules(prefix) : [(prefix, this)];
        foreach (var (modName, module) in modules)
            foreach (var (name, b, _) in module.OwnBuffers())
                if (b is not null && seen.Add(b)) yield return (Join(modName, name), b);
    }

    /// <summary>All buffers (<c>buffers()</c>).</summary>
    public IEnumerable<Tensor> Buffers(bool recurse = true) => NamedBuffers(recurse: recurse).Select(b => b.Buffer);

    /// <summary>Plain tensor fields with dotted names: not state, but what an ONNX export names as initializers.</summary>
    internal IEnumerable<(string Name, Tensor Tensor)> NamedTensorFields()
    {
        foreach (var (modName, module) in NamedModules())
            foreach (var (name, field) in FieldRegistry.TensorFields(module))
                if (field.GetValue(module) is Tensor t) yield return (Join(modName, name), t);
    }

    internal static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    // ---- modes and grads ----

    /// <summary>Sets training mode on this module and all descendants (<c>train(mode)</c>); returns this module.</summary>
    public Module Train(bool mode = true)
    {
        Training = mode;
        foreach (var child in Children()) child.Train(mode);
        return this;
    }

    /// <summary>Sets evaluation mode (<c>eval()</c>); returns this module.</summary>
    public Module Eval() => Train(false);

    /// <summary>Clears parameter gradients: to null by default, as PyTorch 2.x (<c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        Memory.BufferPool.SafePoint(stepBoundary: true);
        foreach (var p in Parameters()) p.ClearGrad(setToNone);
    }

    // ---- printing ----

    /// <summary>The text inside the parentheses of this module's repr (<c>extra_repr()</c>); empty by default.</summary>
    public virtual string ExtraRepr() => "";

    /// <summary>PyTorch's <c>repr(module)</c>: the class name, <see cref="ExtraRepr"/>, and each child indented.</summary>
    public override string ToString()
    {
        var extra = ExtraRepr();
        var extraLines = extra.Length == 0 ? [] : extra.Split('\n');
        var childLines = ChildReprLines();
        var sb = new StringBuilder(GetType().Name).Append('(');
        if (extraLines.Length == 1 && childLines.Count == 0) sb.Append(extraLines[0]);
        else if (extraLines.Length + childLines.Count > 0)
            sb.Append("\n  ").Append(string.Join("\n  ", extraLines.Concat(childLines))).Append('\n');
        return sb.Append(')').ToString();
    }

    /// <summary>The "(name): repr" lines of the children; containers override this to collapse repeats as PyTorch 2.x does.</summary>
    protected virtual List<string> ChildReprLines()
    {
        var lines = new List<string>();
        foreach (var (name, m) in OwnModules())
            lines.Add($"({name}): " + Indent(m?.ToString() ?? "None"));
        return lines;
    }

    /// <summary>Indents every line but the first by two spaces (PyTorch's <c>_addindent</c>).</summary>
    protected static string Indent(string text) => text.Replace("\n", "\n  ");
}
