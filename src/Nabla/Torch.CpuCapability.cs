namespace Nabla;

public static partial class Torch
{
    /// <summary>
    /// The PyTorch CPU kernel set whose random streams Nabla reproduces (<c>torch.backends.cpu.get_cpu_capability()</c>): from
    /// <c>ATEN_CPU_CAPABILITY</c> when set at start, else the set PyTorch picks on this CPU (<see cref="Nabla.CpuCapability.Avx2"/>
    /// with AVX2 and FMA, else <see cref="Nabla.CpuCapability.Default"/>).
    /// </summary>
    public static CpuCapability CpuCapability => CpuCapabilityState.Current;

    /// <summary>
    /// Chooses the PyTorch CPU kernel set to reproduce from now on, process-wide, like starting PyTorch with
    /// <c>ATEN_CPU_CAPABILITY</c> set. Any choice works on any CPU: without AVX2/FMA the fused paths are computed exactly in software.
    /// </summary>
    public static void SetCpuCapability(CpuCapability capability)
    {
        if (!Enum.IsDefined(capability)) throw new ArgumentOutOfRangeException(nameof(capability), capability, "unknown CPU capability");
        CpuCapabilityState.Current = capability;
    }
}
