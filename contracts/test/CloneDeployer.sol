// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

/// @notice Makes clones outside the factory, to show a clone refuses initialization by others.
contract CloneDeployer {
    address public last;

    function clone(address implementation, bytes calldata args) external {
        last = Clones.cloneWithImmutableArgs(implementation, args);
    }
}
