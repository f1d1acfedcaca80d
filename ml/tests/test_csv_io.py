from churn_ml.csv_io import MALFORMED_LINES, read_customers_csv, write_customers_csv
from churn_ml.validation import validate_customers


def test_round_trip_and_bad_values(tmp_path, sample_customers):
    path = tmp_path / "customers.csv"
    write_customers_csv(sample_customers.head(50), path)
    text = path.read_text().splitlines()
    text[1] = text[1].replace("SAMPLE-0000001,", "SAMPLE-0000001,", 1)
    fields = text[2].split(",")
    fields[3] = "not-a-number"  # ACCOUNT_BALANCE
    text[2] = ",".join(fields)
    fields = text[3].split(",")
    fields[13] = "yesterday"  # LAST_UPDATED
    text[3] = ",".join(fields)
    path.write_text("\n".join(text) + "\n")
    frame = read_customers_csv(path)
    assert frame.attrs[MALFORMED_LINES] == 0
    result = validate_customers(frame)
    assert result.rejections["non_numeric_ACCOUNT_BALANCE"] == 1
    assert result.rejections["invalid_timestamp_LAST_UPDATED"] == 1
    assert len(result.valid) == 48


def test_malformed_lines_are_counted_not_fatal(tmp_path, sample_customers):
    path = tmp_path / "customers.csv"
    write_customers_csv(sample_customers.head(5), path)
    with path.open("a") as handle:
        handle.write("X,1,2\n" + "a," * 20 + "b\n")
    frame = read_customers_csv(path)
    assert len(frame) == 5 + 1
    assert frame.attrs[MALFORMED_LINES] == 1
