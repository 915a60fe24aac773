"""Imports every concept's tables so the metadata is complete (for migrations and test set-up)."""

from __future__ import annotations

from samenspel.conversations import models as conversations_models
from samenspel.customers import models as customers_models
from samenspel.db.base import Base
from samenspel.knowledge import models as knowledge_models
from samenspel.routing import models as routing_models
from samenspel.staff import models as staff_models

MODEL_MODULES = (customers_models, staff_models, conversations_models, knowledge_models, routing_models)
metadata = Base.metadata
