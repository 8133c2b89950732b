namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>A fresh folder under the system temp folder for one test's files.</summary>
public sealed class TempDirectory
{
    private TempDirectory(string path) => Path = path;
    public string Path { get; }

    public static TempDirectory Create()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "chathub-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return new TempDirectory(path);
    }
}
