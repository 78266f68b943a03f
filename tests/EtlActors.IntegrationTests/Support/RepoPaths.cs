using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Support;

public static class RepoPaths
{
    public static string Root => Binaries.RepoRoot;

    public static string Sample => Path.Combine(Root, "samples", "skype-export.tar");

    public static string SampleJson => Path.Combine(Root, "samples", "skype", "messages.json");
}
