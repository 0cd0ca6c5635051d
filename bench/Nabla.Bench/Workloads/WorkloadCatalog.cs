namespace Nabla.Bench;

/// <summary>Every row of the report, in report order.</summary>
internal static class WorkloadCatalog
{
    public static IEnumerable<Workload> All() =>
    [
        .. GemmWorkloads.All(),
        .. InferenceWorkloads.All(),
        .. TrainingWorkloads.All(),
        .. ElementwiseWorkloads.All(),
        .. NormalizationWorkloads.All(),
        ElementwiseWorkloads.OneElementAdd(),
        SeedStepWorkload.Create(),
    ];
}
