using System.Reflection;
using System.Text.Json;
using Nabla.NN;

namespace Nabla.Tests.OpInfo;

/// <summary>
/// Calls a public op by its name in the OpInfo table ("Tensor.Sum", "Torch.Sum", "Functional.Relu") with tensor inputs and
/// named arguments from a golden: a <c>Tensor</c> method takes the first input as <c>this</c>, further tensors fill the
/// tensor parameters in order, and each named argument the parameter of that name. Among overloads it picks the one
/// whose parameters take exactly those inputs and arguments (a JSON array prefers an array parameter, a number a scalar).
/// </summary>
internal static class MemberInvoker
{
    private static readonly Dictionary<string, Type> s_types = new()
    {
        ["Tensor"] = typeof(Tensor),
        ["Torch"] = typeof(Torch),
        ["Functional"] = typeof(Functional),
    };

    /// <summary>The declaring types whose public surface the table must cover, by the prefix the table uses.</summary>
    public static IReadOnlyDictionary<string, Type> Types => s_types;

    public static Tensor Invoke(string member, Tensor[] inputs, JsonElement args)
    {
        var (type, name) = Split(member);
        var named = args.ValueKind == JsonValueKind.Object ? args.EnumerateObject().ToDictionary(p => p.Name, p => p.Value) : [];
        // Tensor's instance methods take the first input as this; its static ones (operators, Where) and other types' take all.
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.Name == name)
            .Select(m => (Method: m, Arguments: Bind(m, m.IsStatic ? inputs : inputs[1..], named)))
            .Where(c => c.Arguments is not null)
            .ToArray();
        if (candidates.Length == 0)
            throw new InvalidOperationException($"no overload of {member} takes {inputs.Length} tensors and ({string.Join(", ", named.Keys)})");
        var (method, arguments) = candidates.OrderByDescending(c => Score(c.Method, named)).First();
        try
        {
            var result = method.Invoke(method.IsStatic ? null : inputs[0], arguments);
            return result as Tensor ?? throw new InvalidOperationException($"{member} returned {result?.GetType().Name ?? "null"}, not a tensor");
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    public static (Type Type, string Name) Split(string member)
    {
        int dot = member.IndexOf('.');
        return (s_types[member[..dot]], member[(dot + 1)..]);
    }

    // The argument array for m, or null when m cannot take these tensors and named arguments.
    private static object?[]? Bind(MethodInfo m, Tensor[] tensors, Dictionary<string, JsonElement> named)
    {
        var parameters = m.GetParameters();
        var arguments = new object?[parameters.Length];
        int nextTensor = 0, usedNamed = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (p.ParameterType == typeof(Tensor) && nextTensor < tensors.Length && !named.ContainsKey(p.Name!))
                arguments[i] = tensors[nextTensor++];
            else if (named.TryGetValue(p.Name!, out var value))
            {
                if (!TryConvert(value, p.ParameterType, out var converted)) return null;
                arguments[i] = converted;
                usedNamed++;
            }
            else if (p.HasDefaultValue) arguments[i] = p.DefaultValue;
            else return null;
        }
        return nextTensor == tensors.Length && usedNamed == named.Count ? arguments : null;
    }

    // Prefer overloads whose parameter kinds match the JSON kinds exactly (array to array, integer to integer).
    private static int Score(MethodInfo m, Dictionary<string, JsonElement> named)
    {
        int score = 0;
        foreach (var p in m.GetParameters())
        {
            if (!named.TryGetValue(p.Name!, out var v)) continue;
            var t = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            if (v.ValueKind == JsonValueKind.Array == t.IsArray) score += 2;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _) && (t == typeof(int) || t == typeof(long))) score += 1;
        }
        return score;
    }

    private static bool TryConvert(JsonElement value, Type target, out object? converted)
    {
        var t = Nullable.GetUnderlyingType(target) ?? target;
        converted = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.True or JsonValueKind.False when t == typeof(bool):
                converted = value.GetBoolean();
                return true;
            case JsonValueKind.Number when t == typeof(int) && value.TryGetInt32(out int i):
                converted = i;
                return true;
            case JsonValueKind.Number when t == typeof(long) && value.TryGetInt64(out long l):
                converted = l;
                return true;
            case JsonValueKind.Number when t == typeof(double):
                converted = value.GetDouble();
                return true;
            case JsonValueKind.Number when t == typeof(int[]) && value.TryGetInt32(out int single):
                converted = new[] { single };
                return true;
            case JsonValueKind.Array when t == typeof(int[]):
                converted = value.EnumerateArray().Select(e => e.GetInt32()).ToArray();
                return true;
            case JsonValueKind.Array when t == typeof(long[]):
                converted = value.EnumerateArray().Select(e => e.GetInt64()).ToArray();
                return true;
            default:
                return false;
        }
    }
}
