namespace Nabla;

/// <summary>
/// Which of PyTorch's CPU kernel sets Nabla reproduces where their results differ (<c>ATEN_CPU_CAPABILITY</c>): the random
/// streams of <c>uniform_</c> and <c>normal_</c>, and the inits built on them.
/// </summary>
public enum CpuCapability
{
    /// <summary>PyTorch's portable kernels (<c>ATEN_CPU_CAPABILITY=default</c>): no fused multiply-add, the C library's log/sin/cos.</summary>
    Default,

    /// <summary>
    /// PyTorch's AVX2 kernels (<c>ATEN_CPU_CAPABILITY=avx2</c>): <c>uniform_</c> and the normal transforms round <c>a * b + c</c> once
    /// (fused multiply-add), and float32 <c>normal_</c> on 16 or more contiguous elements uses the vectorised Cephes log and sincos.
    /// </summary>
    Avx2,

    /// <summary>
    /// PyTorch's AVX-512 kernels (<c>ATEN_CPU_CAPABILITY=avx512</c>). PyTorch 1.13 registers no AVX-512 <c>normal_</c> kernel (it falls
    /// back to AVX2's) and its AVX-512 <c>uniform_</c> fuses as AVX2's does, so the random streams equal <see cref="Avx2"/>'s.
    /// </summary>
    Avx512,
}
