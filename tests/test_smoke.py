def test_get_bulk_publish_details_of_a_new_pool_is_not_started(client, pool_id):
    details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
    assert details["BulkPublishStatus"] == "NOT_STARTED"
    assert "BulkPublishStartTime" not in details
