using System.Runtime.Intrinsics.X86;

namespace Nabla;

/// <summary>
/// The process-wide capability, chosen as PyTorch chooses it: <c>ATEN_CPU_CAPABILITY</c> read once at start (<c>default</c>,
/// <c>avx2</c>, <c>avx512</c>; any other value is ignored, as PyTorch ignores it with a warning), otherwise AVX2 on a CPU with AVX2
/// and FMA (PyTorch 1.13 keeps AVX-512 opt-in, so an AVX-512 CPU also gets AVX2), otherwise the portable kernels.
/// </summary>
internal static class CpuCapabilityState
{
    private static volatile int s_current = (int)FromEnvironment(Environment.GetEnvironmentVariable("ATEN_CPU_CAPABILITY"), HardwareDefault());

    public static CpuCapability Current
    {
        get => (CpuCapability)s_current;
        set => s_current = (int)value;
    }

    /// <summary>Whether draws take PyTorch's vectorised (AVX2/AVX-512) paths.</summary>
    public static bool Vectorised => s_current != (int)CpuCapability.Default;

    /// <summary>The capability PyTorch would pick on this CPU with the variable unset.</summary>
    public static CpuCapability HardwareDefault() => Avx2.IsSupported && Fma.IsSupported ? CpuCapability.Avx2 : CpuCapability.Default;

    /// <summary>The capability an <c>ATEN_CPU_CAPABILITY</c> value selects; null, empty or unknown values give <paramref name="fallback"/>.</summary>
    public static CpuCapability FromEnvironment(string? value, CpuCapability fallback) => value switch
    {
        "default" => CpuCapability.Default,
        "avx2" => CpuCapability.Avx2,
        "avx512" => CpuCapability.Avx512,
        _ => fallback,
    };
}
