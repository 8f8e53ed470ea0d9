"""Inventory: warehouse stock and reservations for the support-desk suite.

Same conventions as support_desk.py (BFCL multi-turn style): public attributes
are the compared state, `_load_scenario` loads a scenario dict, public methods
are tools returning dicts, errors are returned as {"error": ...}.
"""

from copy import deepcopy
from typing import Dict

DEFAULT_STATE = {
    "stock": {},
    "reservations": {},
    "reservation_counter": 1,
}


class Inventory:
    """Stock levels per SKU, reservations for replacements, and returns to stock."""

    def __init__(self):
        self.stock: Dict[str, Dict]
        self.reservations: Dict[str, Dict]
        self.reservation_counter: int
        self._api_description = (
            "This tool belongs to the shop's warehouse inventory. It checks stock, reserves "
            "units for replacement shipments and puts returned or cancelled units back into stock."
        )
        self._load_scenario({})

    def _load_scenario(self, scenario: dict, long_context: bool = False) -> None:
        """Load a scenario (deep-copied) over the default state."""
        state = deepcopy(DEFAULT_STATE)
        scenario = deepcopy(scenario)
        for key in state:
            if key in scenario:
                state[key] = scenario[key]
        self.stock = state["stock"]
        self.reservations = state["reservations"]
        self.reservation_counter = state["reservation_counter"]

    def _item(self, sku: str):
        return self.stock.get(sku) if isinstance(sku, str) else None

    def check_stock(self, sku: str) -> Dict:
        """Check how many units of a SKU are available.

        Args:
            sku (str): Stock keeping unit, e.g. 'SKU-HEAD-01'.
        Returns:
            sku (str): The SKU.
            name (str): Product name.
            on_hand (int): Units in the warehouse.
            reserved (int): Units reserved.
            available (int): on_hand minus reserved.
        """
        s = self._item(sku)
        if s is None:
            return {"error": f"SKU {sku} not found."}
        return {"sku": sku, "name": s["name"], "on_hand": s["on_hand"], "reserved": s["reserved"],
                "available": s["on_hand"] - s["reserved"]}

    def reserve_item(self, sku: str, quantity: int, order_id: str) -> Dict:
        """Reserve available units of a SKU for an order (e.g. a replacement shipment).

        Args:
            sku (str): The SKU.
            quantity (int): Units to reserve, at least 1.
            order_id (str): The order the units are for.
        Returns:
            reservation_id (str): Id of the reservation.
            status (str): 'reserved'.
        """
        s = self._item(sku)
        if s is None:
            return {"error": f"SKU {sku} not found."}
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            return {"error": "Quantity must be a positive integer."}
        if not isinstance(order_id, str) or not order_id:
            return {"error": "order_id is required."}
        available = s["on_hand"] - s["reserved"]
        if quantity > available:
            return {"error": f"Only {available} units of {sku} available."}
        rid = f"RS-{self.reservation_counter:04d}"
        self.reservation_counter += 1
        s["reserved"] += quantity
        self.reservations[rid] = {"sku": sku, "quantity": quantity, "order_id": order_id,
                                  "status": "active"}
        return {"reservation_id": rid, "status": "reserved"}

    def release_reservation(self, reservation_id: str) -> Dict:
        """Release an active reservation, making its units available again.

        Args:
            reservation_id (str): Reservation id, e.g. 'RS-0001'.
        Returns:
            reservation_id (str): The reservation id.
            status (str): 'released'.
        """
        r = self.reservations.get(reservation_id) if isinstance(reservation_id, str) else None
        if r is None:
            return {"error": f"Reservation {reservation_id} not found."}
        if r["status"] != "active":
            return {"error": f"Reservation {reservation_id} is {r['status']}."}
        r["status"] = "released"
        self.stock[r["sku"]]["reserved"] -= r["quantity"]
        return {"reservation_id": reservation_id, "status": "released"}

    def return_to_stock(self, sku: str, quantity: int) -> Dict:
        """Put returned or cancelled units back into stock.

        Args:
            sku (str): The SKU.
            quantity (int): Units returned, at least 1.
        Returns:
            sku (str): The SKU.
            on_hand (int): New number of units in the warehouse.
        """
        s = self._item(sku)
        if s is None:
            return {"error": f"SKU {sku} not found."}
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            return {"error": "Quantity must be a positive integer."}
        s["on_hand"] += quantity
        return {"sku": sku, "on_hand": s["on_hand"]}
