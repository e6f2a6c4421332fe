// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A 6-decimal token that misbehaves on demand, for the escrow's robustness tests: a fee
/// taken on every transfer (burned), and a negative rebase that takes funds from any holder.
/// Anyone can mint, set the fee, or slash.
contract MockFeeToken is ERC20 {
    uint256 public feeBps;

    constructor() ERC20("Mock Fee Token", "FEE") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setFeeBps(uint256 bps) external {
        feeBps = bps;
    }

    /// @notice A negative rebase on one holder: `amount` of its balance disappears.
    function slash(address holder, uint256 amount) external {
        _burn(holder, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        uint256 fee = from == address(0) || to == address(0) ? 0 : value * feeBps / 10_000;
        if (fee != 0) super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
