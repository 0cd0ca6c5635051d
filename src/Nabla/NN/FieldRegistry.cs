using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Nabla.NN;

/// <summary>
/// The Parameter and Module fields of a module type, base classes first and each class in declaration
/// order, with their state names. Computed once per type.
/// </summary>
internal static class FieldRegistry
{
    /// <summary>
    /// What registration reads of a module type. <see cref="Module"/> carries this annotation, so trimming and Native AOT
    /// keep the fields and properties of every module type, derived ones included.
    /// </summary>
    internal const DynamicallyAccessedMemberTypes ModuleMembers =
        DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields |
        DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.NonPublicProperties;

    internal sealed record Member(string Name, FieldInfo Field, bool IsParameter);

    private static readonly Dictionary<Type, Member[]> s_cache = [];
    private static readonly Dictionary<Type, (string Name, FieldInfo Field)[]> s_tensorCache = [];

    public static Member[] For([DynamicallyAccessedMembers(ModuleMembers)] Type type)
    {
        lock (s_cache)
        {
            if (s_cache.TryGetValue(type, out var members)) return members;
            members = Fields(type)
                .Where(f => typeof(Parameter).IsAssignableFrom(f.FieldType) || typeof(Module).IsAssignableFrom(f.FieldType))
                .Select(f => new Member(NameOf(f), f, typeof(Parameter).IsAssignableFrom(f.FieldType)))
                .ToArray();
            return s_cache[type] = members;
        }
    }

    /// <summary>Plain tensor fields (not parameters) of <paramref name="module"/>'s type: never registered, but named for ONNX export.</summary>
    // The type is taken here, from a Module-typed parameter, where trimming sees Module's annotation on GetType().
    public static (string Name, FieldInfo Field)[] TensorFields(Module module) => TensorFields(module.GetType());

    private static (string Name, FieldInfo Field)[] TensorFields([DynamicallyAccessedMembers(ModuleMembers)] Type type)
    {
        lock (s_tensorCache)
        {
            if (s_tensorCache.TryGetValue(type, out var fields)) return fields;
            fields = Fields(type)
                .Where(f => f.FieldType == typeof(Tensor))
                .Select(f => (NameOf(f), f))
                .ToArray();
            return s_tensorCache[type] = fields;
        }
    }

    // Base types lose the annotation through Type.BaseType, but each one between the module type and Module derives from
    // Module and so carries it too.
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Every type in the chain derives from Module, whose DynamicallyAccessedMembers annotation keeps its fields.")]
    private static IEnumerable<FieldInfo> Fields(Type type)
    {
        var chain = new Stack<Type>();
        for (var t = type; t is not null && t != typeof(Module); t = t.BaseType) chain.Push(t);
        foreach (var t in chain)
        {
            var fields = t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
            // Metadata tokens give declaration order; Native AOT has none, and lists fields in metadata (declaration) order.
            foreach (var f in fields.All(f => f.HasMetadataToken()) ? fields.OrderBy(f => f.MetadataToken) : fields.AsEnumerable())
                yield return f;
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The declaring type derives from Module, whose DynamicallyAccessedMembers annotation keeps its properties.")]
    private static string NameOf(FieldInfo f)
    {
        if (f.GetCustomAttribute<StateNameAttribute>() is { } a) return a.Name;
        // Auto-property backing field "<Weight>k__BackingField": the property's name and attribute.
        if (f.Name.StartsWith('<') && f.Name.IndexOf(">k__BackingField", StringComparison.Ordinal) is int end and > 0)
        {
            var propName = f.Name[1..end];
            var prop = f.DeclaringType!.GetProperty(propName, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
            return prop?.GetCustomAttribute<StateNameAttribute>()?.Name ?? propName;
        }
        return f.Name;
    }
}
