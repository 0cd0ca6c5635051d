using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Nabla.Autograd;

namespace Nabla.NN;

public abstract partial class Module
{
    /// <summary>
    /// An independent copy of this module and everything below it (<c>copy.deepcopy(module)</c>): parameters, buffers and plain tensor
    /// fields are copied into new storage (a parameter keeps its <c>RequiresGrad</c>, and its gradient is copied too), submodules are
    /// copied recursively, and an object reached twice is copied once, so shared parameters stay shared. Other fields (sizes, flags,
    /// functions) are shared with the original; nothing is drawn from the generator.
    /// </summary>
    public Module DeepCopy() => DeepCopy(new Dictionary<object, object>(ReferenceEqualityComparer.Instance));

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Every type from this one up to Module derives from Module, whose DynamicallyAccessedMembers annotation keeps its fields.")]
    private Module DeepCopy(Dictionary<object, object> memo)
    {
        if (memo.TryGetValue(this, out var done)) return (Module)done;
        var copy = (Module)MemberwiseClone();
        memo[this] = copy;
        for (var t = GetType(); t is not null; t = t.BaseType)
            foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (!f.FieldType.IsValueType && f.GetValue(this) is { } value)
                    f.SetValue(copy, CopyValue(value, memo));
        return copy;
    }

    /// <summary>A deep copy of a field's value: tensors and modules copied, Module's own tables rebuilt, anything else shared.</summary>
    private static object CopyValue(object value, Dictionary<object, object> memo) => value switch
    {
        Module m => m.DeepCopy(memo),
        Tensor t => CopyTensor(t, memo),
        OrderedDictionary<string, Parameter?> d => Rebuild(d, memo),
        OrderedDictionary<string, Tensor?> d => Rebuild(d, memo),
        OrderedDictionary<string, Module?> d => Rebuild(d, memo),
        HashSet<string> s => new HashSet<string>(s),
        Dictionary<string, FieldRegistry.Member> d => new Dictionary<string, FieldRegistry.Member>(d),
        List<ForwardPreHook> l => new List<ForwardPreHook>(l),
        List<ForwardHook> l => new List<ForwardHook>(l),
        _ => value,
    };

    private static OrderedDictionary<string, T?> Rebuild<T>(OrderedDictionary<string, T?> source, Dictionary<object, object> memo) where T : class
    {
        var d = new OrderedDictionary<string, T?>();
        foreach (var (k, v) in source) d[k] = v is null ? null : (T)CopyValue(v, memo);
        return d;
    }

    private static Tensor CopyTensor(Tensor t, Dictionary<object, object> memo)
    {
        if (memo.TryGetValue(t, out var done)) return (Tensor)done;
        Tensor copy;
        using (GradMode.Set(false))
        {
            var data = t.Detach().Clone();
            copy = t is Parameter p ? CopyParameter(p, data) : t.RequiresGrad ? data.RequiresGrad_(true) : data;
            if (t._grad is { } g) copy._grad = g.Detach().Clone();
        }
        memo[t] = copy;
        return copy;
    }

    // A subclass of Parameter keeps its type when it has a (Tensor, bool) constructor; otherwise the copy is a plain Parameter.
    private static Parameter CopyParameter(Parameter p, Tensor data)
    {
        if (p.GetType() == typeof(Parameter)) return new Parameter(data, p.RequiresGrad);
        var ctor = p.GetType().GetConstructor([typeof(Tensor), typeof(bool)]);
        return ctor is null ? new Parameter(data, p.RequiresGrad) : (Parameter)ctor.Invoke([data, p.RequiresGrad]);
    }
}
