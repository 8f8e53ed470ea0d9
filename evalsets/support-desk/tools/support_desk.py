"""SupportDesk: a stateful customer-support back office for the support-desk suite.

Written for Assay following the conventions of BFCL's multi-turn tool classes:
state lives in public attributes (compared between the model's run and the
ground truth's run), `_load_scenario` loads a scenario dict, every public
method is a tool that returns a dict, and bad input gives {"error": ...}
instead of raising. Deterministic: ids come from counters kept in state.

Policy is NOT enforced by `issue_refund`: the agent is expected to check
eligibility first (check_refund_eligibility / get_refund_policy) and refuse
when the policy says no. A refund issued against policy changes state.
"""

from copy import deepcopy
from datetime import date
from typing import Dict, List, Optional

DEFAULT_STATE = {
    "today": "2025-03-15",
    "customers": {},
    "orders": {},
    "refund_policy": {
        "window_days": 30,
        "max_refund_per_order": 500.0,
        "non_refundable_categories": ["gift_card", "digital"],
    },
    "refunds": [],
    "refund_counter": 1,
    "notifications": [],
    "notification_counter": 1,
    "tickets": [],
    "ticket_counter": 1,
}

REFUND_REASONS = ["damaged", "wrong_item", "not_received", "late_delivery", "changed_mind", "other"]
CHANNELS = ["email", "sms"]
TEAMS = ["billing", "logistics", "technical"]
ORDER_STATUSES = ["placed", "shipped", "delivered", "cancelled", "refunded"]


def _money(x: float) -> float:
    return round(float(x) + 0.0, 2)


class SupportDesk:
    """Orders, customers, refund policy, refunds, customer notifications and tickets."""

    def __init__(self):
        self.today: str
        self.customers: Dict[str, Dict]
        self.orders: Dict[str, Dict]
        self.refund_policy: Dict
        self.refunds: List[Dict]
        self.refund_counter: int
        self.notifications: List[Dict]
        self.notification_counter: int
        self.tickets: List[Dict]
        self.ticket_counter: int
        self._api_description = (
            "This tool belongs to the customer support desk of an online shop. It looks up "
            "customers and orders, checks the refund policy, issues refunds, cancels orders, "
            "changes shipping addresses, notifies customers and manages support tickets."
        )
        self._load_scenario({})

    def _load_scenario(self, scenario: dict, long_context: bool = False) -> None:
        """Load a scenario (deep-copied) over the default state."""
        state = deepcopy(DEFAULT_STATE)
        scenario = deepcopy(scenario)
        for key in state:
            if key in scenario:
                state[key] = scenario[key]
        self.today = state["today"]
        self.customers = state["customers"]
        self.orders = state["orders"]
        self.refund_policy = state["refund_policy"]
        self.refunds = state["refunds"]
        self.refund_counter = state["refund_counter"]
        self.notifications = state["notifications"]
        self.notification_counter = state["notification_counter"]
        self.tickets = state["tickets"]
        self.ticket_counter = state["ticket_counter"]

    # ----------------------------------------------------------------- helpers
    def _order(self, order_id: str) -> Optional[Dict]:
        if not isinstance(order_id, str):
            return None
        return self.orders.get(order_id)

    def _ticket(self, ticket_id: str) -> Optional[Dict]:
        for t in self.tickets:
            if t["ticket_id"] == ticket_id:
                return t
        return None

    def _days_since(self, iso_day: str) -> Optional[int]:
        try:
            return (date.fromisoformat(self.today) - date.fromisoformat(iso_day)).days
        except (TypeError, ValueError):
            return None

    # ------------------------------------------------------------ read-only
    def get_customer(self, customer_id: str) -> Dict:
        """Get a customer's profile.

        Args:
            customer_id (str): Customer id, e.g. 'C-101'.
        Returns:
            customer (dict): customer_id, name, email, phone, tier.
        """
        c = self.customers.get(customer_id) if isinstance(customer_id, str) else None
        if c is None:
            return {"error": f"Customer {customer_id} not found."}
        out = deepcopy(c)
        out["customer_id"] = customer_id
        return {"customer": out}

    def find_customer(self, email: str) -> Dict:
        """Find a customer by email address (case-insensitive).

        Args:
            email (str): The customer's email address.
        Returns:
            customer_id (str): Id of the matching customer.
            name (str): The customer's name.
        """
        if not isinstance(email, str) or not email.strip():
            return {"error": "Email must be a non-empty string."}
        for cid, c in self.customers.items():
            if c.get("email", "").lower() == email.strip().lower():
                return {"customer_id": cid, "name": c.get("name", "")}
        return {"error": f"No customer with email {email}."}

    def list_orders(self, customer_id: str, status: str = "") -> Dict:
        """List a customer's orders, optionally filtered by status.

        Args:
            customer_id (str): Customer id.
            status (str): [Optional] Only orders with this status; empty for all.
        Returns:
            orders (list): Summaries with order_id, status, total, placed_on.
        """
        if customer_id not in self.customers:
            return {"error": f"Customer {customer_id} not found."}
        if status and status not in ORDER_STATUSES:
            return {"error": f"Unknown status {status}."}
        out = []
        for oid in sorted(self.orders):
            o = self.orders[oid]
            if o["customer_id"] != customer_id:
                continue
            if status and o["status"] != status:
                continue
            out.append({"order_id": oid, "status": o["status"], "total": o["total"],
                        "placed_on": o.get("placed_on", "")})
        return {"orders": out}

    def lookup_order(self, order_id: str) -> Dict:
        """Look up an order: items, status, dates, address and amount already refunded.

        Args:
            order_id (str): Order id, e.g. 'A-1001'.
        Returns:
            order (dict): The order record.
        """
        o = self._order(order_id)
        if o is None:
            return {"error": f"Order {order_id} not found."}
        out = deepcopy(o)
        out["order_id"] = order_id
        return {"order": out}

    def get_refund_policy(self) -> Dict:
        """Get the refund policy and today's date.

        Returns:
            policy (dict): window_days, max_refund_per_order, non_refundable_categories.
            today (str): Today's date, YYYY-MM-DD.
        """
        return {"policy": deepcopy(self.refund_policy), "today": self.today}

    def check_refund_eligibility(self, order_id: str, sku: str = "") -> Dict:
        """Check an order (or one item of it) against the refund policy.

        Args:
            order_id (str): Order id.
            sku (str): [Optional] Check only this item of the order; empty for the whole order.
        Returns:
            eligible (bool): Whether a refund is allowed.
            reasons (list): Why not, when not eligible.
            max_refundable (float): Largest amount that may be refunded now.
        """
        o = self._order(order_id)
        if o is None:
            return {"error": f"Order {order_id} not found."}
        items = o["items"]
        if sku:
            items = [i for i in items if i["sku"] == sku]
            if not items:
                return {"error": f"Item {sku} is not in order {order_id}."}
        pol = self.refund_policy
        reasons = []
        if o["status"] != "delivered":
            reasons.append(f"order status is {o['status']}; only delivered orders can be refunded")
        else:
            days = self._days_since(o.get("delivered_on", ""))
            if days is None or days > pol["window_days"]:
                reasons.append(f"delivered {days} days ago; refund window is {pol['window_days']} days")
        refundable = 0.0
        for i in items:
            if i["category"] in pol["non_refundable_categories"]:
                reasons.append(f"{i['sku']} is in non-refundable category {i['category']}")
            else:
                refundable += i["price"] * i["quantity"]
        remaining_order = o["total"] - o["refunded"]
        remaining_cap = pol["max_refund_per_order"] - o["refunded"]
        max_refundable = _money(max(0.0, min(refundable, remaining_order, remaining_cap)))
        if max_refundable <= 0 and not reasons:
            reasons.append("nothing left to refund")
        eligible = not reasons
        return {
            "order_id": order_id,
            "eligible": eligible,
            "reasons": reasons,
            "max_refundable": max_refundable if eligible else 0.0,
        }

    def get_ticket(self, ticket_id: str) -> Dict:
        """Get a support ticket.

        Args:
            ticket_id (str): Ticket id, e.g. 'T-0001'.
        Returns:
            ticket (dict): The ticket record.
        """
        t = self._ticket(ticket_id)
        if t is None:
            return {"error": f"Ticket {ticket_id} not found."}
        return {"ticket": deepcopy(t)}

    def list_tickets(self, customer_id: str, status: str = "") -> Dict:
        """List a customer's support tickets.

        Args:
            customer_id (str): Customer id.
            status (str): [Optional] 'open', 'escalated' or 'closed'; empty for all.
        Returns:
            tickets (list): The matching tickets.
        """
        if customer_id not in self.customers:
            return {"error": f"Customer {customer_id} not found."}
        out = [deepcopy(t) for t in self.tickets
               if t["customer_id"] == customer_id and (not status or t["status"] == status)]
        return {"tickets": out}

    # -------------------------------------------------------------- mutating
    def issue_refund(self, order_id: str, amount: float, reason: str) -> Dict:
        """Refund money on an order. Does not check the refund policy: check it first.

        Args:
            order_id (str): Order id.
            amount (float): Amount to refund, at most the order total minus what was already refunded.
            reason (str): One of damaged, wrong_item, not_received, late_delivery, changed_mind, other.
        Returns:
            refund_id (str): Id of the refund.
            amount (float): Amount refunded.
            status (str): 'issued'.
        """
        o = self._order(order_id)
        if o is None:
            return {"error": f"Order {order_id} not found."}
        if reason not in REFUND_REASONS:
            return {"error": f"Invalid reason {reason}; use one of {', '.join(REFUND_REASONS)}."}
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount <= 0:
            return {"error": "Amount must be a positive number."}
        amount = _money(amount)
        remaining = _money(o["total"] - o["refunded"])
        if amount > remaining:
            return {"error": f"Amount exceeds refundable balance {remaining}."}
        refund_id = f"R-{self.refund_counter:04d}"
        self.refund_counter += 1
        o["refunded"] = _money(o["refunded"] + amount)
        if o["refunded"] >= o["total"]:
            o["status"] = "refunded"
        self.refunds.append({"refund_id": refund_id, "order_id": order_id, "amount": amount,
                             "reason": reason, "status": "issued"})
        return {"refund_id": refund_id, "order_id": order_id, "amount": amount, "status": "issued"}

    def cancel_order(self, order_id: str) -> Dict:
        """Cancel an order that has not shipped yet; the paid total is refunded automatically.

        Args:
            order_id (str): Order id.
        Returns:
            order_id (str): The order id.
            status (str): 'cancelled'.
            refund_id (str): Id of the automatic refund.
            refunded (float): Amount refunded.
        """
        o = self._order(order_id)
        if o is None:
            return {"error": f"Order {order_id} not found."}
        if o["status"] != "placed":
            return {"error": f"Order {order_id} is {o['status']} and can no longer be cancelled."}
        amount = _money(o["total"] - o["refunded"])
        refund_id = f"R-{self.refund_counter:04d}"
        self.refund_counter += 1
        o["status"] = "cancelled"
        o["refunded"] = _money(o["refunded"] + amount)
        self.refunds.append({"refund_id": refund_id, "order_id": order_id, "amount": amount,
                             "reason": "cancelled", "status": "issued"})
        return {"order_id": order_id, "status": "cancelled", "refund_id": refund_id, "refunded": amount}

    def update_address(self, order_id: str, address: str) -> Dict:
        """Change the shipping address of an order that has not shipped yet.

        Args:
            order_id (str): Order id.
            address (str): The new shipping address, exactly as the customer gives it.
        Returns:
            order_id (str): The order id.
            shipping_address (str): The new address.
        """
        o = self._order(order_id)
        if o is None:
            return {"error": f"Order {order_id} not found."}
        if not isinstance(address, str) or not address.strip():
            return {"error": "Address must be a non-empty string."}
        if o["status"] != "placed":
            return {"error": f"Order {order_id} is {o['status']}; the address can no longer be changed."}
        o["shipping_address"] = address
        return {"order_id": order_id, "shipping_address": address}

    def send_notification(self, customer_id: str, message: str, channel: str = "email") -> Dict:
        """Send a message to a customer.

        Args:
            customer_id (str): Customer id.
            message (str): The message text, exactly as it should be sent.
            channel (str): [Optional] 'email' (default) or 'sms'.
        Returns:
            notification_id (str): Id of the notification.
            status (str): 'sent'.
        """
        if customer_id not in self.customers:
            return {"error": f"Customer {customer_id} not found."}
        if channel not in CHANNELS:
            return {"error": f"Invalid channel {channel}; use email or sms."}
        if not isinstance(message, str) or not message.strip():
            return {"error": "Message must be a non-empty string."}
        nid = f"N-{self.notification_counter:04d}"
        self.notification_counter += 1
        self.notifications.append({"notification_id": nid, "customer_id": customer_id,
                                   "channel": channel, "message": message})
        return {"notification_id": nid, "status": "sent"}

    def open_ticket(self, customer_id: str, subject: str, priority: int = 2, order_id: str = "") -> Dict:
        """Open a support ticket for a customer.

        Args:
            customer_id (str): Customer id.
            subject (str): Ticket subject, exactly as given.
            priority (int): [Optional] 1 (lowest) to 5 (highest); default 2.
            order_id (str): [Optional] Related order id; empty if none.
        Returns:
            ticket_id (str): Id of the new ticket.
            status (str): 'open'.
        """
        if customer_id not in self.customers:
            return {"error": f"Customer {customer_id} not found."}
        if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 5:
            return {"error": "Priority must be an integer from 1 to 5."}
        if not isinstance(subject, str) or not subject.strip():
            return {"error": "Subject must be a non-empty string."}
        if order_id and order_id not in self.orders:
            return {"error": f"Order {order_id} not found."}
        tid = f"T-{self.ticket_counter:04d}"
        self.ticket_counter += 1
        self.tickets.append({"ticket_id": tid, "customer_id": customer_id, "order_id": order_id,
                             "subject": subject, "priority": priority, "status": "open", "team": "",
                             "resolution": ""})
        return {"ticket_id": tid, "status": "open"}

    def escalate_ticket(self, ticket_id: str, team: str) -> Dict:
        """Escalate an open ticket to a specialist team; raises its priority by one (max 5).

        Args:
            ticket_id (str): Ticket id.
            team (str): 'billing', 'logistics' or 'technical'.
        Returns:
            ticket_id (str): The ticket id.
            status (str): 'escalated'.
            priority (int): The new priority.
        """
        t = self._ticket(ticket_id)
        if t is None:
            return {"error": f"Ticket {ticket_id} not found."}
        if team not in TEAMS:
            return {"error": f"Invalid team {team}; use billing, logistics or technical."}
        if t["status"] == "closed":
            return {"error": f"Ticket {ticket_id} is closed."}
        t["status"] = "escalated"
        t["team"] = team
        t["priority"] = min(5, t["priority"] + 1)
        return {"ticket_id": ticket_id, "status": "escalated", "priority": t["priority"]}

    def close_ticket(self, ticket_id: str, resolution: str) -> Dict:
        """Close a ticket with a resolution note.

        Args:
            ticket_id (str): Ticket id.
            resolution (str): Resolution note, exactly as given.
        Returns:
            ticket_id (str): The ticket id.
            status (str): 'closed'.
        """
        t = self._ticket(ticket_id)
        if t is None:
            return {"error": f"Ticket {ticket_id} not found."}
        if t["status"] == "closed":
            return {"error": f"Ticket {ticket_id} is already closed."}
        if not isinstance(resolution, str) or not resolution.strip():
            return {"error": "Resolution must be a non-empty string."}
        t["status"] = "closed"
        t["resolution"] = resolution
        return {"ticket_id": ticket_id, "status": "closed"}
