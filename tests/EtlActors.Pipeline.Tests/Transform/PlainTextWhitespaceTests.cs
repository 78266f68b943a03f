using System.Text;
using System.Text.RegularExpressions;
using EtlActors.Pipeline.Connectors.Skype.Transform;

namespace EtlActors.Pipeline.Tests.Transform;

public class PlainTextWhitespaceTests
{
    // The rule, written the plain way: line by line. A CR is a line break of its own unless an LF follows it at once.
    private static string Expected(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Replace("\0", "").Split('\n')
            .Select(line => Regex.Replace(line, @"\s+", " ").Trim());
        return string.Join('\n', lines).Trim('\n');
    }

    [Fact]
    public void Any_mix_of_spaces_tabs_breaks_and_NULs_is_tidied_as_the_rule_says()
    {
        // Short strings over an alphabet of every kind of character the tidying treats apart, so that the path for
        // text that is already tidy and the path that rebuilds it are both taken, many times each.
        const string alphabet = "ab \t\n\r\0\u00A0";
        var random = new Random(20261130);
        var tidyAlready = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var text = new StringBuilder();
            for (var i = random.Next(0, 9); i > 0; i--)
                text.Append(alphabet[random.Next(alphabet.Length)]);
            var input = text.ToString();

            var actual = PlainTextWhitespace.Normalize(input);

            Assert.True(Expected(input) == actual, $"input {Show(input)}: expected {Show(Expected(input))}, got {Show(actual)}");
            if (ReferenceEquals(actual, input))
                tidyAlready++;
        }
        Assert.InRange(tidyAlready, 100, 19_900);
    }

    [Theory]
    [InlineData("plain words, one space apart")]
    [InlineData("two lines\nof text")]
    [InlineData("a blank line\n\nbetween")]
    [InlineData("")]
    public void Text_that_is_already_tidy_comes_back_as_it_is(string text)
    {
        Assert.Same(text, PlainTextWhitespace.Normalize(text));
    }

    private static string Show(string text) =>
        "\"" + text.Replace("\0", "\\0").Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\u00A0", "\\u00A0") + "\"";
}
