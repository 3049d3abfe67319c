import BranchTree
