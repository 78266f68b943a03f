using System.Diagnostics;
using EtlActors.Pipeline.Connectors.Slack.Transform;

namespace EtlActors.Pipeline.Tests.Connectors.Slack;

public class SlackMarkupTests
{
    private static readonly Dictionary<string, string> Users = new()
    {
        ["U024BE7LH"] = "Bob Smith",
        ["W012A3CDE"] = "Ana Enterprise",
        ["UBLANK"] = "",
    };

    private static string Plain(string? text) =>
        SlackMarkup.ToPlainText(text, id => Users.GetValueOrDefault(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Null_or_empty_text_is_empty(string? text)
    {
        Assert.Equal("", Plain(text));
    }

    [Theory]
    [InlineData("Hello world")]
    [InlineData("ship it :tada: :+1::skin-tone-2:")]
    [InlineData("*bold* _italic_ ~strike~ `code` ```block```")]
    [InlineData("a > b\nline two > quote")]
    public void Text_without_tokens_or_escapes_is_returned_as_is(string text)
    {
        Assert.Same(text, Plain(text));
    }

    [Theory]
    [InlineData("<@U024BE7LH>", "@Bob Smith")]
    [InlineData("<@U024BE7LH|bob>", "@Bob Smith")]
    [InlineData("<@W012A3CDE>", "@Ana Enterprise")]
    [InlineData("<@W012A3CDE|ana>", "@Ana Enterprise")]
    [InlineData("<@U999|carol>", "@carol")]
    [InlineData("<@U999|@carol>", "@carol")]
    [InlineData("<@U999>", "@U999")]
    [InlineData("<@W999>", "@W999")]
    [InlineData("<@UBLANK|dave>", "@dave")]
    [InlineData("<@U999|>", "@U999")]
    [InlineData("<@U999|Q&amp;A bot>", "@Q&A bot")]
    public void User_mentions_read_as_the_display_name_then_the_label_then_the_id(string text, string expected)
    {
        Assert.Equal(expected, Plain(text));
    }

    [Fact]
    public void User_lookup_gets_the_bare_id_once_per_mention()
    {
        var asked = new List<string>();
        SlackMarkup.ToPlainText("<@U1|a> and <@W2> and <#C3|x>", id => { asked.Add(id); return null; });
        Assert.Equal(new[] { "U1", "W2" }, asked);
    }

    [Fact]
    public void A_display_name_is_used_verbatim()
    {
        Assert.Equal("@A&amp;B <x>", SlackMarkup.ToPlainText("<@U1>", _ => "A&amp;B <x>"));
    }

    [Theory]
    [InlineData("<#C024BE7LR|general>", "#general")]
    [InlineData("<#C024BE7LR>", "#C024BE7LR")]
    [InlineData("<#C024BE7LR|>", "#C024BE7LR")]
    [InlineData("<#C024BE7LR|#general>", "#general")]
    [InlineData("<#C1|r&amp;d>", "#r&d")]
    public void Channel_links_read_as_hash_and_name(string text, string expected)
    {
        Assert.Equal(expected, Plain(text));
    }

    [Theory]
    [InlineData("<!here>", "@here")]
    [InlineData("<!channel>", "@channel")]
    [InlineData("<!everyone>", "@everyone")]
    [InlineData("<!here|here>", "@here")]
    [InlineData("<!here|@here>", "@here")]
    [InlineData("<!channel|@channel>", "@channel")]
    [InlineData("<!everyone|everyone>", "@everyone")]
    public void Broadcasts_read_as_at_word(string text, string expected)
    {
        Assert.Equal(expected, Plain(text));
    }

    [Theory]
    [InlineData("<!subteam^SAZ94GDB8|@team>", "@team")]
    [InlineData("<!subteam^SAZ94GDB8|team>", "@team")]
    [InlineData("<!subteam^SAZ94GDB8>", "@SAZ94GDB8")]
    [InlineData("<!subteam^SAZ94GDB8^extra>", "@SAZ94GDB8")]
    [InlineData("<!subteam>", "@subteam")]
    public void User_groups_read_as_their_handle_then_their_id(string text, string expected)
    {
        Assert.Equal(expected, Plain(text));
    }

    [Theory]
    [InlineData("<!date^1392734382^{date_num} {time_secs}|2014-02-18 6:39:42 AM>", "2014-02-18 6:39:42 AM")]
    [InlineData("<!date^1392734382^Posted {date_short}^https://example.com/|Posted Feb 18, 2014>", "Posted Feb 18, 2014")]
    [InlineData("<!date^1392734382^{date}|Feb 18 &amp; 19>", "Feb 18 & 19")]
    [InlineData("<!date^1392734382^{date_short}>", "2014-02-18 14:39 UTC")]
    [InlineData("<!date^soon^{date}>", "<!date^soon^{date}>")]
    [InlineData("<!date^99999999999999999999^{date}>", "<!date^99999999999999999999^{date}>")]
    [InlineData("<!date^999999999999>", "<!date^999999999999>")]
    [InlineData("<!date>", "<!date>")]
    public void Dates_read_as_their_fallback_text(string text, string expected)
    {
        Assert.Equal(expected, Plain(text));
    }

    [Theory]
    [InlineData("<!something|shown label>", "shown label")]
    [InlineData("<!something^x|a|b>", "a|b")]
    [InlineData("<!something>", "@something")]
    [InlineData("<!something^x>", "@something^x")]
    [InlineData("<!>", "<!>")]
    public void Other_commands_read_as_their_label_else_at_word(string text, string expected)
    {
        Assert.Equal(expected, Plain(text));
    }

    [Theory]
    [InlineData("<https://example.com>", "https://example.com")]
    [InlineData("<https://example.com|Example>", "Example")]
    [InlineData("<https://example.com|>", "https://example.com")]
    [InlineData("<https://example.com/?a=1&amp;b=2>", "https://example.com/?a=1&b=2")]
    [InlineData("<https://example.com/?a=1&amp;b=2|Q&amp;A &lt;live&gt;>", "Q&A <live>")]
    [InlineData("<https://example.com|a | b|c>", "a | b|c")]
    [InlineData("<mailto:a@b.c|a@b.c>", "a@b.c")]
    [InlineData("<mailto:a@b.c>", "mailto:a@b.c")]
    [InlineData("<tel:+15551234567|+1 555 123 4567>", "+1 555 123 4567")]
    [InlineData("<tel:+15551234567>", "tel:+15551234567")]
    [InlineData("<|label only>", "label only")]
    public void Links_read_as_their_label_else_their_url(string text, string expected)
    {
        Assert.Equal(expected, Plain(text));
    }

    [Theory]
    [InlineData("AT&amp;T", "AT&T")]
    [InlineData("a &lt; b &gt; c", "a < b > c")]
    [InlineData("&amp;lt;", "&lt;")]
    [InlineData("&amp;amp;", "&amp;")]
    [InlineData("&quot;x&quot; &nbsp; &#65; &copy; &AMP;", "&quot;x&quot; &nbsp; &#65; &copy; &AMP;")]
    [InlineData("fish & chips &", "fish & chips &")]
    [InlineData("&amp&lt&gt", "&amp&lt&gt")]
    [InlineData("&&amp;&", "&&&")]
    public void Only_slacks_three_escapes_are_decoded_once(string text, string expected)
    {
        Assert.Equal(expected, Plain(text));
    }

    [Theory]
    [InlineData("&lt;@U024BE7LH&gt;", "<@U024BE7LH>")]
    [InlineData("&lt;https://x|y&gt;", "<https://x|y>")]
    [InlineData("&lt;<https://x|y>&gt;", "<y>")]
    [InlineData("&amp;<@U024BE7LH>&amp;", "&@Bob Smith&")]
    [InlineData("<https://x|&lt;b&gt;>&lt;b&gt;", "<b><b>")]
    public void Escaped_brackets_are_text_never_tokens(string text, string expected)
    {
        Assert.Equal(expected, Plain(text));
    }

    [Theory]
    [InlineData("<@U024BE7LH><@U999><#C1|general>", "@Bob Smith@U999#general")]
    [InlineData("<!here><https://x|x><!channel>", "@herex@channel")]
    [InlineData("<@U024BE7LH>:wave:<@W012A3CDE>", "@Bob Smith:wave:@Ana Enterprise")]
    public void Adjacent_tokens_each_resolve(string text, string expected)
    {
        Assert.Equal(expected, Plain(text));
    }

    [Theory]
    [InlineData("a < b", "a < b")]
    [InlineData("<", "<")]
    [InlineData(">", ">")]
    [InlineData("<https://example.com", "<https://example.com")]
    [InlineData("x <@U024BE7LH and <#C1|general>", "x <@U024BE7LH and #general")]
    [InlineData("<<@U024BE7LH>>", "<@Bob Smith>")]
    [InlineData("a <b\nc> d", "a <b\nc> d")]
    [InlineData("<>", "<>")]
    [InlineData("<@>", "<@>")]
    [InlineData("<#>", "<#>")]
    [InlineData("<|>", "<|>")]
    [InlineData("&lt;3 <3 <@U999>", "<3 <3 @U999")]
    public void Unmatched_or_empty_brackets_are_kept_literally(string text, string expected)
    {
        Assert.Equal(expected, Plain(text));
    }

    [Fact]
    public void A_whole_message_mixes_every_form()
    {
        const string text =
            "<!here> *Release* :rocket: by <@U024BE7LH|bob> & <@U999|carol> in <#C024BE7LR|dev-ops>\n" +
            "> notes: <https://example.com/r?v=2&amp;x=1|release notes> (ask <!subteam^S1|@qa>)\n" +
            "_due_ <!date^1392734382^{date}|Feb 18> &lt;no link&gt; ~old~ `x &amp;&amp; y`\r\n" +
            "mail <mailto:ops@example.com|ops@example.com> :white_check_mark:";
        const string expected =
            "@here *Release* :rocket: by @Bob Smith & @carol in #dev-ops\n" +
            "> notes: release notes (ask @qa)\n" +
            "_due_ Feb 18 <no link> ~old~ `x && y`\r\n" +
            "mail ops@example.com :white_check_mark:";
        Assert.Equal(expected, Plain(text));
    }

    [Fact]
    public void Never_throws_on_arbitrary_text()
    {
        // Pieces of every form, cut and recombined: half tokens, stray sigils, carets and entities.
        string[] pieces = ["<", ">", "|", "&", "&amp;", "&lt;", "&gt;", "&am", "@", "#", "!", "^", "\n",
            "U1", "here", "subteam", "date", "123", "-", "https://x", "mailto:", " ", "é", "\uD83D\uDE00", "\uD83D"];
        var random = new Random(20261129);
        for (var n = 0; n < 20_000; n++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            var plain = SlackMarkup.ToPlainText(text, id => id == "U1" ? "One" : null);
            if (!text.Contains('<') && !text.Contains('&'))
            {
                Assert.Same(text, plain);
            }
        }
    }

    public static TheoryData<string, string> HostileTexts => new()
    {
        { "lt", new string('<', Megabyte) },
        { "lt then text, no gt", "<" + new string('a', Megabyte) },
        { "unclosed mentions", Repeat("<@U1", Megabyte) },
        { "pipes in one label", "<https://x|" + new string('|', Megabyte) + ">" },
        { "ampersands", new string('&', Megabyte) },
        { "partial entities", Repeat("&am", Megabyte) },
        { "gt", new string('>', Megabyte) },
        { "tokens", Repeat("<@U024BE7LH>", Megabyte) },
    };

    /// <summary>
    /// Text is user-controlled; a quadratic scan would let one message stall a transformer. A megabyte
    /// takes milliseconds when linear and minutes when quadratic, so the bound is generous.
    /// </summary>
    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void Hostile_text_finishes_quickly(string name, string text)
    {
        var watch = Stopwatch.StartNew();
        Plain(text);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{name} took {watch.Elapsed}");
    }

    private const int Megabyte = 1 << 20;

    private static string Repeat(string s, int length) =>
        string.Concat(Enumerable.Repeat(s, length / s.Length + 1))[..length];
}
