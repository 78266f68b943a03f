using EtlActors.Pipeline.Sources;

namespace EtlActors.Pipeline.Tests.Sources;

/// <summary>
/// A node's sources root on real folders and real symbolic links: what may be read, what is refused, and what
/// the user is told. Layout: base/sources (the root) holding export.tar and sub/, base/outside holding
/// secret.tar, and base/sources2 (shares the root's prefix).
/// </summary>
public sealed class SourceRootTests : IDisposable
{
    private readonly DirectoryInfo _base = Directory.CreateTempSubdirectory("etl-roots-");
    private readonly string _root;
    private readonly string _outside;
    private readonly string _secret;
    private readonly SourceRoot _sources;

    public SourceRootTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_base.FullName, "sources")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_base.FullName, "outside")).FullName;
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.WriteAllText(Path.Combine(_root, "export.tar"), "inside");
        File.WriteAllText(Path.Combine(_root, "sub", "day.json"), "inside");
        _secret = Path.Combine(_outside, "secret.tar");
        File.WriteAllText(_secret, "outside");
        _sources = SourceRoot.Under(_root);
    }

    private string In(params string[] parts) => Path.Combine([_root, .. parts]);

    private string OutsideMessage(string given) => $"source {given} is outside this node's sources root {_root}";

    private string LinkMessage(string given) => $"{OutsideMessage(given)} (a symbolic link on its path leads out)";

    [Fact]
    public void A_file_under_the_root_is_read_where_it_is()
    {
        Assert.Equal(new SourceAdmission(In("export.tar"), null), _sources.Admit(In("export.tar")));
        Assert.Equal(new SourceAdmission(In("sub", "day.json"), null), _sources.Admit(In("sub", "day.json")));
    }

    [Fact]
    public void A_relative_path_is_taken_from_the_root_not_from_the_working_directory()
    {
        Assert.Equal(In("sub", "day.json"), _sources.Admit("sub/day.json").PathToRead);
        Assert.Equal(In("export.tar"), _sources.Admit("./export.tar").PathToRead);
    }

    [Fact]
    public void A_missing_file_under_the_root_is_admitted_so_the_reader_can_say_it_is_missing()
    {
        Assert.Equal(In("later", "export.tar"), _sources.Admit(In("later", "export.tar")).PathToRead);
    }

    [Fact]
    public void An_absolute_path_outside_the_root_is_refused_naming_the_path_and_the_root()
    {
        Assert.Equal(new SourceAdmission(null, OutsideMessage(_secret)), _sources.Admit(_secret));
        Assert.Equal(OutsideMessage("/etc/passwd"), _sources.Admit("/etc/passwd").Refusal);
    }

    [Fact]
    public void A_folder_that_only_shares_the_roots_prefix_is_outside_it()
    {
        var sibling = Directory.CreateDirectory(_root + "2").FullName;
        File.WriteAllText(Path.Combine(sibling, "export.tar"), "sibling");

        Assert.Equal(OutsideMessage(Path.Combine(sibling, "export.tar")), _sources.Admit(Path.Combine(sibling, "export.tar")).Refusal);
    }

    [Fact]
    public void Dot_dot_that_climbs_out_is_refused_and_dot_dot_that_stays_inside_is_not()
    {
        var climbing = $"{_root}/../outside/secret.tar";
        Assert.Equal(OutsideMessage(climbing), _sources.Admit(climbing).Refusal);
        Assert.Equal(OutsideMessage("../outside/secret.tar"), _sources.Admit("../outside/secret.tar").Refusal);
        Assert.Equal(OutsideMessage("sub/../../outside/secret.tar"), _sources.Admit("sub/../../outside/secret.tar").Refusal);

        Assert.Equal(In("export.tar"), _sources.Admit($"{_root}/sub/../export.tar").PathToRead);
    }

    [Fact]
    public void A_file_link_leading_out_is_refused_without_saying_where_it_leads()
    {
        File.CreateSymbolicLink(In("secret.tar"), _secret);
        File.CreateSymbolicLink(In("relative.tar"), "../outside/secret.tar");

        Assert.Equal(LinkMessage(In("secret.tar")), _sources.Admit(In("secret.tar")).Refusal);
        Assert.Equal(LinkMessage("relative.tar"), _sources.Admit("relative.tar").Refusal);
        Assert.DoesNotContain(_outside, _sources.Admit(In("secret.tar")).Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_link_anywhere_along_the_path_leading_out_is_refused()
    {
        Directory.CreateSymbolicLink(In("share"), _outside);
        Directory.CreateSymbolicLink(In("sub", "deeper"), "../../outside");

        Assert.Equal(LinkMessage(In("share", "secret.tar")), _sources.Admit(In("share", "secret.tar")).Refusal);
        Assert.Equal(LinkMessage(In("sub", "deeper", "secret.tar")), _sources.Admit(In("sub", "deeper", "secret.tar")).Refusal);
        Assert.Equal(LinkMessage(In("share")), _sources.Admit(In("share")).Refusal);
    }

    [Fact]
    public void Dot_dot_after_a_directory_link_climbs_from_where_the_link_leads_as_the_kernel_does()
    {
        // sources/hop -> outside/inner, so sources/hop/../secret.tar opens outside/secret.tar, although by
        // text it reads sources/secret.tar.
        Directory.CreateDirectory(Path.Combine(_outside, "inner"));
        Directory.CreateSymbolicLink(In("hop"), Path.Combine(_outside, "inner"));

        Assert.Equal(LinkMessage("hop/../secret.tar"), _sources.Admit("hop/../secret.tar").Refusal);
    }

    [Fact]
    public void A_chain_of_links_is_followed_to_its_end()
    {
        File.CreateSymbolicLink(In("first.tar"), "second.tar");
        File.CreateSymbolicLink(In("second.tar"), "sub/third.tar");
        File.CreateSymbolicLink(In("sub", "third.tar"), _secret);

        Assert.Equal(LinkMessage(In("first.tar")), _sources.Admit(In("first.tar")).Refusal);
    }

    [Fact]
    public void A_dangling_link_leading_out_is_refused_too()
    {
        File.CreateSymbolicLink(In("later.tar"), Path.Combine(_outside, "not-yet.tar"));

        Assert.Equal(LinkMessage(In("later.tar")), _sources.Admit(In("later.tar")).Refusal);
    }

    [Fact]
    public void A_link_inside_the_root_to_inside_the_root_is_read_at_its_target()
    {
        File.CreateSymbolicLink(In("latest.tar"), "export.tar");
        Directory.CreateSymbolicLink(In("today"), In("sub"));

        Assert.Equal(In("export.tar"), _sources.Admit(In("latest.tar")).PathToRead);
        Assert.Equal(In("sub", "day.json"), _sources.Admit(In("today", "day.json")).PathToRead);
        Assert.Equal(In("export.tar"), _sources.Admit("today/../export.tar").PathToRead);
    }

    [Fact]
    public void A_link_loop_is_refused_rather_than_followed_for_ever()
    {
        File.CreateSymbolicLink(In("ping.tar"), "pong.tar");
        File.CreateSymbolicLink(In("pong.tar"), "ping.tar");

        Assert.Equal(
            $"source {In("ping.tar")} cannot be resolved on this node (more than 40 symbolic links: a loop?)",
            _sources.Admit(In("ping.tar")).Refusal);
    }

    [Fact]
    public void A_root_that_is_itself_a_link_holds_what_it_leads_to_and_names_paths_under_itself()
    {
        var linkedRoot = Path.Combine(_base.FullName, "mounted");
        Directory.CreateSymbolicLink(linkedRoot, _root);
        var sources = SourceRoot.Under(linkedRoot);

        Assert.Equal(Path.Combine(linkedRoot, "export.tar"), sources.Admit(Path.Combine(linkedRoot, "export.tar")).PathToRead);
        Assert.Equal(Path.Combine(linkedRoot, "export.tar"), sources.Admit("export.tar").PathToRead);
        // The real folder's own path is not the configured root: refused by name, before any link is looked at.
        Assert.Equal($"source {In("export.tar")} is outside this node's sources root {linkedRoot}", sources.Admit(In("export.tar")).Refusal);
    }

    [Fact]
    public void An_empty_path_or_one_with_a_NUL_is_refused_without_echoing_it()
    {
        Assert.Equal("no source path given", _sources.Admit("").Refusal);
        Assert.Equal("the source path holds a NUL character", _sources.Admit("export.tar\0/etc/passwd").Refusal);
    }

    [Fact]
    public void Anywhere_reads_every_path_as_given()
    {
        File.CreateSymbolicLink(In("secret.tar"), _secret);

        Assert.Equal(new SourceAdmission(_secret, null), SourceRoot.Anywhere.Admit(_secret));
        Assert.Equal(In("secret.tar"), SourceRoot.Anywhere.Admit(In("secret.tar")).PathToRead);
        Assert.Equal("relative.tar", SourceRoot.Anywhere.Admit("relative.tar").PathToRead);
        Assert.Same(SourceRoot.Anywhere, SourceRoot.For(null));
        Assert.Same(SourceRoot.Anywhere, SourceRoot.For(" "));
    }

    [Fact]
    public void A_root_that_is_missing_or_not_a_directory_is_an_error_naming_it()
    {
        var missing = Path.Combine(_base.FullName, "nowhere");
        Assert.Equal($"{missing} does not exist", Assert.Throws<ArgumentException>(() => SourceRoot.Under(missing)).Message);
        Assert.Equal($"{_secret} is not a directory", Assert.Throws<ArgumentException>(() => SourceRoot.Under(_secret)).Message);
    }

    [Fact]
    public void The_root_itself_and_a_trailing_separator_on_it_are_the_same_root()
    {
        var sources = SourceRoot.Under(_root + Path.DirectorySeparatorChar);

        Assert.Equal(_root, sources.Root);
        Assert.Equal(In("export.tar"), sources.Admit("export.tar").PathToRead);
        Assert.Equal(_root, sources.Admit(_root).PathToRead);
    }

    public void Dispose() => _base.Delete(recursive: true);
}
