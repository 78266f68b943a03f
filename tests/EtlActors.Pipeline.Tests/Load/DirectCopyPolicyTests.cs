using EtlActors.Pipeline.Load;

namespace EtlActors.Pipeline.Tests.Load;

public class DirectCopyPolicyTests
{
    [Fact]
    public void New_rows_keep_going_direct()
    {
        var policy = new DirectCopyPolicy();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(policy.TryDirect());
            policy.Copied();
        }
    }

    [Fact]
    public void Collisions_in_a_row_stage_1_then_2_then_4_batches_and_so_on_up_to_the_cap()
    {
        var policy = new DirectCopyPolicy();
        Assert.True(policy.TryDirect());
        var staged = new List<int>();
        for (var i = 0; i < 9; i++)
        {
            policy.Collided();
            staged.Add(StagedBeforeNextTry(policy)); // that next try collides again
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, DirectCopyPolicy.MaxStaged, DirectCopyPolicy.MaxStaged, DirectCopyPolicy.MaxStaged], staged);
    }

    [Fact]
    public void A_direct_copy_that_goes_through_starts_the_count_again()
    {
        var policy = new DirectCopyPolicy();
        Assert.True(policy.TryDirect());
        policy.Collided();
        StagedBeforeNextTry(policy);
        policy.Collided();
        Assert.Equal(2, StagedBeforeNextTry(policy));

        policy.Copied();
        policy.Collided();

        Assert.Equal(1, StagedBeforeNextTry(policy));
    }

    // The batches staged before the policy tries a direct COPY again; the try itself is taken.
    private static int StagedBeforeNextTry(DirectCopyPolicy policy)
    {
        var count = 0;
        while (!policy.TryDirect())
            count++;
        return count;
    }
}
