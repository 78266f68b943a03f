namespace EtlActors.IntegrationTests.Support;

public static class RepoPaths
{
    public static readonly string Root = FindRoot();

    public static string Sample => Path.Combine(Root, "samples", "skype-export.tar");

    public static string SampleJson => Path.Combine(Root, "samples", "skype", "messages.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EtlActors.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("EtlActors.sln not found above " + AppContext.BaseDirectory);
    }
}
