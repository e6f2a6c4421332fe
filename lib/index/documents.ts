// The GraphQL documents the frontend and the gate send to the index: The Graph's subgraph in
// production or the local index (server/indexer), which answer them identically. Variable types
// follow graph-node's API schema: `ID!` for an entity by id, `String` for a reference in `where`,
// `Bytes` for a Bytes field. Pass addresses and ids as lowercase 0x hex.
//
// Each document has a result interface of the same name in ./types.ts.

/** Event page: the event and its tiers with live inventory (available = supply - sold), seat maps and member perks included, its sales channels (a checkout credits an open one) and its membership program. */
export const EVENT_PAGE = /* GraphQL */ `
  query EventPage($event: ID!) {
    event(id: $event) {
      id
      eventId
      name
      symbol
      metadataURI
      start
      end
      currency
      payout
      royaltyBps
      resaleCapBps
      policy
      giftsPerHolder
      platformFeeBps
      settlementDelay
      cancelled
      cancelledAt
      tierCount
      organizer {
        id
      }
      ticketsSold
      ticketsCheckedIn
      ticketsRefunded
      ticketsResold
      ticketsReturned
      refundDeadlines
      refundShares
      exchangesOffered
      tiers(first: 1000, orderBy: tierId, orderDirection: asc) {
        id
        tierId
        name
        price
        supply
        sold
        checkedIn
        refunded
        maxPerWallet
        saleStart
        saleEnd
        paused
        earlyPrice
        earlyUntil
        entryStart
        entryEnd
        presaleStart
        presaleRoot
        seated
        membersOnly
        minLevel
        perkLevel
        discountBps
        extraPerWallet
        seatBlocks(first: 1000, orderBy: index, orderDirection: asc) {
          index
          section
          firstRow
          rows
          firstSeat
          seatsPerRow
          letteredRows
          firstSeatId
        }
      }
      channels(first: 255, orderBy: channelId, orderDirection: asc) {
        channelId
        label
        open
      }
      membershipProgram {
        id
        name
        levelNames
        pointValues(first: 10) {
          currency
          value
        }
      }
    }
    _meta {
      block {
        number
        timestamp
      }
    }
  }
`;

/**
 * The seats of a seated tier that cannot be sold (sold, refunded without release, or held back by
 * the organizer), as seat ids (the tickets' serials): page with `skip` in steps of `first` until
 * both lists come back short.
 */
export const SEATS_TAKEN = /* GraphQL */ `
  query SeatsTaken($tier: String!, $first: Int = 1000, $skip: Int = 0) {
    tickets(where: { tier: $tier, released: false }, orderBy: serial, orderDirection: asc, first: $first, skip: $skip) {
      serial
    }
    heldSeats(where: { tier: $tier }, orderBy: serial, orderDirection: asc, first: $first, skip: $skip) {
      serial
    }
  }
`;

/**
 * An event's timed-entry calendars (a museum's season, a run of performances): each rule, from
 * which lib/calendar.ts lists every slot, and the slots that have bookings starting in
 * [from, to) (a month of the picker), with their counts: remaining = capacity - booked.
 */
export const EVENT_CALENDARS = /* GraphQL */ `
  query EventCalendars($event: ID!, $from: BigInt!, $to: BigInt!, $first: Int = 1000, $skip: Int = 0) {
    event(id: $event) {
      id
      calendars(orderBy: calendarId, orderDirection: asc) {
        id
        calendarId
        firstDay
        dayCount
        utcOffsetMinutes
        slotMinutes
        saleLeadMinutes
        capacity
        runStartMinutes
        runCounts
        runWeekdays
        closedDays
        tiers(orderBy: tierId, orderDirection: asc) {
          tierId
        }
        slots(where: { start_gte: $from, start_lt: $to }, orderBy: start, orderDirection: asc, first: $first, skip: $skip) {
          number
          day
          start
          end
          booked
          sold
          checkedIn
        }
      }
    }
  }
`;

/** What the ticket screen shows of a ticket (MY_TICKETS). */
const MY_TICKET_FIELDS = `
      id
      tokenId
      serial
      seatLabel
      entryStart
      entryEnd
      checkedIn
      checkedInAt
      pricePaid
      faceValue
      mintedAt
      event {
        id
        name
        symbol
        metadataURI
        start
        end
        currency
        policy
        royaltyBps
        platformFeeBps
        resaleCapBps
        giftsPerHolder
        cancelled
      }
      tier {
        id
        tierId
        name
        price
      }
      listing {
        id
        price
        status
        buyable
      }
`;

/**
 * My tickets: what `owner` holds now, newest first, with what the ticket screen shows; and, as
 * `refunded`, the latest tickets refunded from it (burned, so no longer held: their status; an
 * exchanged one with the ticket it was exchanged for).
 */
export const MY_TICKETS = /* GraphQL */ `
  query MyTickets($owner: String!, $first: Int = 1000, $skip: Int = 0) {
    tickets(where: { owner: $owner, refunded: false }, orderBy: mintedAt, orderDirection: desc, first: $first, skip: $skip) {
${MY_TICKET_FIELDS}    }
    refunded: tickets(where: { owner: $owner, refunded: true }, orderBy: refundedAt, orderDirection: desc, first: 100) {
${MY_TICKET_FIELDS}      refundedAt
      exchangedFor {
        tokenId
      }
    }
  }
`;

/**
 * Resale market of one event, cheapest first: listings that can be bought now. The chain cannot
 * say when time passes the event's end; hide them all once `event.end` (EVENT_PAGE) is past.
 */
export const RESALE_LISTINGS = /* GraphQL */ `
  query ResaleListings($event: String!, $first: Int = 100, $skip: Int = 0) {
    listings(where: { event: $event, buyable: true }, orderBy: price, orderDirection: asc, first: $first, skip: $skip) {
      id
      tokenId
      price
      createdAt
      seller {
        id
      }
      tier {
        id
        tierId
        name
        price
      }
      ticket {
        id
        serial
        seatLabel
        entryStart
        entryEnd
      }
    }
  }
`;

/**
 * Organizer dashboard: revenue counters, inventory by tier, and the sales (with the buyer's member
 * level, and the event's membership program for the levels' names), check-ins and returns
 * (refunds of kind Return) the charts bucket (./dashboard.ts). Sales, check-ins and returns come
 * `first` at a time: raise `salesSkip`, `checkInsSkip` or `returnsSkip` by `first` while a page
 * comes back full.
 */
export const ORGANIZER_DASHBOARD = /* GraphQL */ `
  query OrganizerDashboard($event: ID!, $first: Int = 1000, $salesSkip: Int = 0, $checkInsSkip: Int = 0, $returnsSkip: Int = 0) {
    event(id: $event) {
      id
      name
      start
      end
      currency
      cancelled
      royaltyBps
      platformFeeBps
      ticketsSold
      ticketsCheckedIn
      ticketsRefunded
      ticketsResold
      ticketsReturned
      ticketsExchanged
      returnsKept
      primaryRevenue
      refundedAmount
      resaleVolume
      royalties
      platformFees
      proceedsWithdrawn
      royaltiesWithdrawn
      tiers(first: 1000, orderBy: tierId, orderDirection: asc) {
        id
        tierId
        name
        price
        supply
        sold
        checkedIn
        refunded
        revenue
      }
      channels(first: 255, orderBy: channelId, orderDirection: asc) {
        channelId
        label
      }
      membershipProgram {
        id
        levelNames
      }
      sales(first: $first, skip: $salesSkip, orderBy: timestamp, orderDirection: asc) {
        id
        kind
        timestamp
        quantity
        amount
        royalty
        fee
        discount
        memberLevel
        tier {
          tierId
        }
        channel {
          channelId
        }
      }
      checkIns(first: $first, skip: $checkInsSkip, orderBy: checkedInAt, orderDirection: asc) {
        id
        checkedInAt
        undone
        tier {
          tierId
        }
      }
      returns: refunds(where: { kind: "Return" }, first: $first, skip: $returnsSkip, orderBy: timestamp, orderDirection: asc) {
        id
        timestamp
        amount
        kept
        tier {
          tierId
        }
      }
    }
    _meta {
      block {
        number
        timestamp
      }
    }
  }
`;

/**
 * One page of the gate's ticket snapshot: the event's valid (unrefunded) tickets in id order
 * after `after` (start with "0x", then pass the last id of the previous page), with who holds
 * each, its tier, seat, entry window and whether it was checked in on chain. `_meta.block` tells
 * how fresh the page is.
 */
export const GATE_SNAPSHOT = /* GraphQL */ `
  query GateSnapshot($event: String!, $after: Bytes = "0x", $first: Int = 1000) {
    tickets(where: { event: $event, refunded: false, id_gt: $after }, orderBy: id, orderDirection: asc, first: $first) {
      id
      tokenId
      serial
      seatLabel
      entryStart
      entryEnd
      checkedIn
      checkedInAt
      owner {
        id
      }
      tier {
        tierId
        name
      }
    }
    _meta {
      block {
        number
        hash
        timestamp
      }
    }
  }
`;

/**
 * What a gate knows of an event besides its tickets (GATE_SNAPSHOT pages those): times,
 * cancellation, check-in lead, each tier's name, entry window, seat map and calendar rule, and the
 * GATE holders and denied accounts (paged by id after `$accountsAfter`). A gate bootstraps its
 * snapshot from this and GATE_SNAPSHOT at one `_meta` block, then follows the chain from there.
 */
export const GATE_EVENT = /* GraphQL */ `
  query GateEvent($event: ID!, $accountsAfter: Bytes = "0x", $first: Int = 1000) {
    event(id: $event) {
      start
      end
      cancelled
      checkInLeadHours
      tiers(first: 1000, orderBy: tierId) {
        tierId
        name
        entryStart
        entryEnd
        seatBlocks(first: 1000, orderBy: index) {
          section
          firstRow
          rows
          firstSeat
          seatsPerRow
          letteredRows
        }
        calendar {
          firstDay
          dayCount
          utcOffsetMinutes
          slotMinutes
          saleLeadMinutes
          capacity
          runStartMinutes
          runCounts
          runWeekdays
        }
      }
      # graph-node refuses column filters beside \`or\`: the page bound goes in each branch.
      accounts(where: { or: [{ gate: true, id_gt: $accountsAfter }, { denied: true, id_gt: $accountsAfter }] }, orderBy: id, orderDirection: asc, first: $first) {
        id
        account {
          id
        }
        gate
        denied
      }
    }
    _meta {
      block {
        number
        hash
      }
    }
  }
`;

/**
 * Explore: events still to come (or running), soonest first; the app filters by name, date and
 * venue. With each tier's sale window and options and the cheapest buyable listing, for the
 * lowest price a fan can pay now (frontend/src/fan/sale.ts fromPrice).
 */
export const EXPLORE_EVENTS = /* GraphQL */ `
  query ExploreEvents($endsAfter: BigInt!, $first: Int = 200, $skip: Int = 0) {
    events(where: { end_gt: $endsAfter, cancelled: false }, orderBy: start, orderDirection: asc, first: $first, skip: $skip) {
      id
      name
      metadataURI
      start
      end
      currency
      ticketsSold
      tiers(first: 1000, orderBy: tierId, orderDirection: asc) {
        tierId
        price
        supply
        sold
        saleStart
        saleEnd
        paused
        earlyPrice
        earlyUntil
        presaleStart
        presaleRoot
      }
      listings(where: { buyable: true }, orderBy: price, orderDirection: asc, first: 1) {
        price
      }
    }
  }
`;

/** The events where `account` holds a role: the organizer console's and the gate's event lists. */
export const MY_ROLES = /* GraphQL */ `
  query MyRoles($account: String!) {
    eventAccounts(where: { account: $account }, first: 1000) {
      organizer
      gate
      finance
      voucherSigner
      event {
        id
        name
        metadataURI
        start
        end
        cancelled
        ticketsSold
        ticketsCheckedIn
      }
    }
  }
`;

/** Staff and deny list of one event: the accounts with a role or the deny flag. */
export const EVENT_PEOPLE = /* GraphQL */ `
  query EventPeople($event: String!) {
    eventAccounts(where: { event: $event }, first: 1000) {
      account {
        id
      }
      organizer
      gate
      finance
      voucherSigner
      denied
    }
  }
`;

/**
 * Organizer CSV export: every sale (with buyer and token ids, its channel, the buyer's member level
 * and the points spent on it), every check-in (with holder and
 * gate) and every refund (its kind: Claim, Organizer or Return, with holder, recipient and what a
 * return kept) of one event, oldest first. Page like ORGANIZER_DASHBOARD: raise `salesSkip`,
 * `checkInsSkip` or `refundsSkip` by `first` while a page comes back full.
 */
export const ORGANIZER_EXPORT = /* GraphQL */ `
  query OrganizerExport($event: ID!, $first: Int = 1000, $salesSkip: Int = 0, $checkInsSkip: Int = 0, $refundsSkip: Int = 0) {
    event(id: $event) {
      id
      currency
      # Sales name their channel by id (no lookup per sale: the query stays within the limits).
      channels(first: 255, orderBy: channelId, orderDirection: asc) {
        id
        channelId
        label
      }
      sales(first: $first, skip: $salesSkip, orderBy: timestamp, orderDirection: asc) {
        id
        kind
        timestamp
        quantity
        amount
        buyer {
          id
        }
        tickets {
          tokenId
        }
        tier {
          tierId
          name
        }
        channel {
          id
        }
        commission
        # Scalars (no lookup): the buyer's member level (null: not a member) and the points spent.
        memberLevel
        pointsSpent
      }
      checkIns(first: $first, skip: $checkInsSkip, orderBy: checkedInAt, orderDirection: asc) {
        id
        checkedInAt
        tokenId
        gate
        undone
        undoneAt
        undoneBy
        holder {
          id
        }
        tier {
          tierId
          name
        }
      }
      refunds(first: $first, skip: $refundsSkip, orderBy: timestamp, orderDirection: asc) {
        id
        kind
        timestamp
        tokenId
        amount
        kept
        released
        holder {
          id
        }
        recipient {
          id
        }
        tier {
          tierId
          name
        }
      }
    }
  }
`;

/**
 * Check-ins of one event for the organizer's check-ins tab, oldest first, undone ones included:
 * which GATE account admitted each ticket, and whether (when, by whom) the organizer undid it. A
 * ticket checked in again after an undo has a second, live check-in. Page with `skip` in steps
 * of `first` until a page comes back short.
 */
export const EVENT_CHECK_INS = /* GraphQL */ `
  query EventCheckIns($event: String!, $first: Int = 1000, $skip: Int = 0) {
    checkIns(where: { event: $event }, orderBy: checkedInAt, orderDirection: asc, first: $first, skip: $skip) {
      id
      tokenId
      gate
      checkedInAt
      undone
      undoneAt
      undoneBy
      holder {
        id
      }
      tier {
        tierId
        name
      }
    }
  }
`;

/** The events that owe `account` credited payments (withdrawCredits), as the index counts them. */
export const MY_CREDITS = /* GraphQL */ `
  query MyCredits($account: String!) {
    eventAccounts(where: { account: $account, credits_gt: "0" }, first: 1000) {
      credits
      event {
        id
        name
        metadataURI
        currency
      }
    }
  }
`;

/**
 * The seats of a seated calendar tier (a run) taken in one performance: its tickets in that slot
 * (Slot id: calendar id ++ int32 slot number, little-endian) not released, as seat ids. Page like
 * SEATS_TAKEN.
 */
export const SLOT_SEATS_TAKEN = /* GraphQL */ `
  query SlotSeatsTaken($tier: String!, $slot: String!, $first: Int = 1000, $skip: Int = 0) {
    tickets(where: { tier: $tier, slot: $slot, released: false }, orderBy: serial, orderDirection: asc, first: $first, skip: $skip) {
      serial
    }
    heldSeats(where: { tier: $tier, slot: $slot }, orderBy: serial, orderDirection: asc, first: $first, skip: $skip) {
      serial
    }
  }
`;

/**
 * Which tiers of `events` sell a calendar's slots (explore: such a tier is limited per slot, not by
 * its supply; a run's seated tier sells its seat map once per performance, so its sold count, over
 * every performance, may pass its supply while seats are left).
 */
export const CALENDAR_TIERS = /* GraphQL */ `
  query CalendarTiers($events: [String!]!) {
    calendars(where: { event_in: $events }, first: 1000) {
      event {
        id
      }
      tiers(first: 1000) {
        tierId
      }
    }
  }
`;

/**
 * How the tickets refunded from `holder` went (My tickets: "Returned", "Exchanged for #…"): the
 * latest refunds of its tickets with their kind (Claim, Organizer, Return, Exchange), newest first.
 */
export const MY_REFUNDS = /* GraphQL */ `
  query MyRefunds($holder: String!, $first: Int = 100) {
    refunds(where: { holder: $holder }, orderBy: timestamp, orderDirection: desc, first: $first) {
      id
      kind
      ticket {
        id
      }
    }
  }
`;

/**
 * An event's sales channels for the organizer's Channels tab, in id order: each one's terms
 * (payout, commission rate, open) and what it sold and earned, as the contract keeps it.
 */
export const EVENT_CHANNELS = /* GraphQL */ `
  query EventChannels($event: ID!) {
    event(id: $event) {
      id
      currency
      channels(first: 255, orderBy: channelId, orderDirection: asc) {
        id
        channelId
        label
        payout
        commissionBps
        open
        ticketsSold
        ticketsReversed
        revenue
        commissionEarned
        commissionReversed
        commissionPaid
        commissionOwed
        createdAt
      }
    }
  }
`;

const MEMBERSHIP_PROGRAM_FIELDS = /* GraphQL */ `
  id
  name
  pointsSigner
  attendancePoints
  firstPurchaseBonus
  levelThresholds
  levelNames
  root
  rootBlock
  memberCount
  createdAt
  earnRates(first: 10) {
    currency
    unit
    points
  }
  pointValues(first: 10) {
    currency
    value
  }
`;

/** An organizer's membership program (id: the organizer's address): its rules, levels, enrolled events and latest root. */
export const MEMBERSHIP_PROGRAM = /* GraphQL */ `
  query MembershipProgram($program: ID!) {
    membershipProgram(id: $program) {
      ${MEMBERSHIP_PROGRAM_FIELDS}
      events(first: 1000, orderBy: start, orderDirection: desc) {
        id
        name
        start
        end
      }
    }
    _meta {
      block {
        number
        timestamp
      }
    }
  }
`;

/** A wallet's memberships, each with its program and its latest points changes (the membership page). */
export const MY_MEMBERSHIPS = /* GraphQL */ `
  query MyMemberships($account: String!) {
    members(first: 20, where: { account: $account }, orderBy: joinedAt, orderDirection: desc) {
      id
      joinedAt
      earned
      givenBack
      credited
      spent
      level
      program {
        ${MEMBERSHIP_PROGRAM_FIELDS}
      }
      changes(first: 30, orderBy: timestamp, orderDirection: desc) {
        id
        kind
        points
        reason
        timestamp
        transactionHash
        event {
          id
          name
        }
        ticket {
          tokenId
        }
      }
    }
  }
`;

/**
 * A program's members, a page at a time in id order (after: the last id of the previous page,
 * "0x" to start): what the points signer builds the balance tree and the levels from, and the
 * dashboard's members by level.
 */
export const PROGRAM_MEMBERS = /* GraphQL */ `
  query ProgramMembers($program: String!, $after: Bytes!, $first: Int!) {
    members(first: $first, where: { program: $program, id_gt: $after }, orderBy: id, orderDirection: asc) {
      id
      account {
        id
      }
      earned
      credited
      spent
      level
      joinedAt
    }
    _meta {
      block {
        number
      }
    }
  }
`;

/** The programs whose points signer is the given one (the server's points key): the ones it posts for. */
export const SIGNED_PROGRAMS = /* GraphQL */ `
  query SignedPrograms($signer: Bytes!) {
    membershipPrograms(first: 100, where: { pointsSigner: $signer }) {
      id
      root
      rootBlock
      levelThresholds
      memberCount
    }
    _meta {
      block {
        number
      }
    }
  }
`;

/**
 * Announcements to any of these events' holders or these programs' members (ids, lowercase), the
 * newest first: what a fan's My tickets and membership pages show, and the JSON feeds. A Level
 * announcement is for members at `level` or above: filter by the reader's level.
 */
export const ANNOUNCEMENTS = /* GraphQL */ `
  query Announcements($events: [String!]!, $programs: [String!]!, $first: Int!) {
    announcements(first: $first, orderBy: timestamp, orderDirection: desc, where: { or: [{ event_in: $events }, { program_in: $programs }] }) {
      id
      audience
      level
      uri
      timestamp
      transactionHash
      organizer {
        id
      }
      event {
        id
        name
      }
      program {
        id
        name
        levelNames
      }
    }
  }
`;
