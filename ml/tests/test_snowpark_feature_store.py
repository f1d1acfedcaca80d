"""SnowparkStore's feature view code through the real Feature Store of snowflake-ml-python 1.7.2.

The server side is scripted (snowflake_wire, table_server, feature_store_server): stages,
write_pandas' statements, tags, views. The library decides what to send.
"""

import numpy as np
import pandas as pd
import pytest

from churn_ml.features import FEATURE_COLUMNS, build_features, snapshot_version
from churn_ml.sample_data import generate_customers
from churn_ml.schema import LABEL
from churn_ml.snowpark_store import SnowparkStore, snapshot_table
from churn_ml.validation import validate_customers
from feature_store_server import FeatureStoreServer
from snowflake_wire import Stages, Wire, not_found, wire_session
from table_server import TableServer


class Account:
    def __init__(self, root):
        self.wire = Wire()
        stages = Stages(root / "stages")
        stages.attach(self.wire)
        self.tables = TableServer(stages)
        self.tables.attach(self.wire)
        self.features = FeatureStoreServer(self.tables)
        self.features.attach(self.wire)
        self.store = SnowparkStore(wire_session(self.wire))


@pytest.fixture
def account(tmp_path):
    return Account(tmp_path)


@pytest.fixture(scope="module")
def features():
    return build_features(validate_customers(generate_customers(60, seed=3)).valid)


def _sorted(frame):
    return frame.sort_values("CUSTOMER_ID").reset_index(drop=True)


def test_each_version_is_a_snapshot_without_the_label(account, features):
    first = snapshot_version(features)
    account.store.register_feature_view(features, first)
    changed = features.copy()
    changed["ACCOUNT_BALANCE"] = changed["ACCOUNT_BALANCE"] + 1.0
    second = snapshot_version(changed)
    assert second != first
    account.store.register_feature_view(changed, second)

    views = account.features.views
    assert set(views) == {f"CUSTOMER_FEATURES${first}", f"CUSTOMER_FEATURES${second}"}
    for version in (first, second):
        text = views[f"CUSTOMER_FEATURES${version}"]["text"]
        select = text[text.index("AS SELECT"):]
        # Each version's view reads its own table; the label is not a feature.
        assert select.rstrip().endswith(f"FROM DEV_ML_DB.FEATURES.{snapshot_table(version)}")
        assert LABEL not in text
        assert all(f'"{c}"' in select for c in FEATURE_COLUMNS)

    old = account.store.read_feature_view(first)
    new = account.store.read_feature_view(second)
    expected_old = _sorted(features)
    pd.testing.assert_frame_equal(old[expected_old.columns], expected_old, check_dtype=False)
    assert np.allclose(new["ACCOUNT_BALANCE"], expected_old["ACCOUNT_BALANCE"] + 1.0)
    assert new[LABEL].tolist() == expected_old[LABEL].tolist()


def test_registering_an_existing_version_keeps_its_rows(account, features):
    version = snapshot_version(features)
    account.store.register_feature_view(features, version)
    copies = len(account.wire.sent(r"^COPY INTO"))
    assert account.store.register_feature_view(features, version) == version
    assert len(account.wire.sent(r"^COPY INTO")) == copies
    assert len(account.wire.sent(r"^\s*CREATE (OR REPLACE )?VIEW")) == 1


def test_rows_come_back_in_customer_order(account, features):
    shuffled = features.sample(frac=1.0, random_state=7)
    version = snapshot_version(shuffled)
    assert version == snapshot_version(features)  # order is not content
    account.store.register_feature_view(shuffled, version)
    account.tables.tables[f"DEV_ML_DB.FEATURES.{snapshot_table(version)}"] = (
        account.tables.tables[f"DEV_ML_DB.FEATURES.{snapshot_table(version)}"]
        .sample(frac=1.0, random_state=9))  # the server keeps rows in no particular order
    rows = account.store.read_feature_view(version)
    assert rows["CUSTOMER_ID"].tolist() == sorted(features["CUSTOMER_ID"])
    assert account.wire.sent(r'ORDER BY "CUSTOMER_ID"')


def test_a_permission_error_is_not_taken_for_a_missing_version(account, features):
    account.wire.on(r"^\s*SHOW DYNAMIC TABLES LIKE", not_found(
        "SQL access control error: Insufficient privileges to operate on schema 'FEATURES'"))
    with pytest.raises(RuntimeError, match="Insufficient privileges"):
        account.store.register_feature_view(features, snapshot_version(features))
    assert not account.wire.sent(r"^COPY INTO") and not account.features.views
