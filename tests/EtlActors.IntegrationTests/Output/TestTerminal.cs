using Spectre.Console;

namespace EtlActors.IntegrationTests.Output;

/// <summary>A terminal for `etl`'s views: ANSI text without colours, written to a string, at a chosen width.</summary>
internal static class TestTerminal
{
    /// <param name="width">Columns, as the user's terminal has them.</param>
    /// <param name="interactive">Whether live displays (progress bars) may redraw, as on a terminal.</param>
    public static (IAnsiConsole Console, StringWriter Output) Create(int width, bool interactive = true)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        return (console, output);
    }
}
